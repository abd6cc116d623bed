"""The demo county's departments and people (DESIGN §1, seed report).

The seed names the open-government leading group (人事, 監察, 教育, 民政, 財政, 衛生,
交通 and seven more: 14 member departments), the open-government office, the
administrative service centre (政務大廳) and the townships.
"""

from portal.models import Department
from portal.roles import Role

K = Department.Kind

# code, name, kind, parent code, duties, address, phone, service window
DEPARTMENTS = [
    ("leading-group", "政務公開領導小組", K.LEADING_GROUP, None,
     "縣委分管領導任組長,政府分管領導任副組長,統一領導全縣政務公開工作。", "縣政府大院", "0915-5210001", ""),
    ("open-gov-office", "縣政務公開辦公室", K.OFFICE, "leading-group",
     "組織協調全縣政務公開,管理公開目錄、預審備案和考核。", "縣政府大院二號樓", "0915-5210002", ""),
    ("personnel", "縣人事局", K.BUREAU, "leading-group",
     "公務員錄用、幹部調配、職稱評定與工資福利。", "新建路12號", "0915-5210011", "政務大廳3號窗口"),
    ("supervision", "縣監察局", K.BUREAU, "leading-group",
     "監督檢查政務公開,受理投訴舉報,實施責任追究。", "新建路8號", "0915-5210012", "監督投訴台"),
    ("education", "縣教育局", K.BUREAU, "leading-group",
     "學校招生、學校收費、二免一補資金管理。", "文化路21號", "0915-5210013", "政務大廳5號窗口"),
    ("civil-affairs", "縣民政局", K.BUREAU, "leading-group",
     "民政救濟資金、最低生活保障、婚姻登記。", "民主街6號", "0915-5210014", "政務大廳6號窗口"),
    ("finance", "縣財政局", K.BUREAU, "leading-group",
     "財政預算決算、專項資金分配、國家糧食補貼發放。", "人民路18號", "0915-5210015", "政務大廳7號窗口"),
    ("health", "縣衛生局", K.BUREAU, "leading-group",
     "醫療機構管理、醫藥品價格公示、公共衛生。", "健康路3號", "0915-5210016", "政務大廳8號窗口"),
    ("transport", "縣交通局", K.BUREAU, "leading-group",
     "道路運輸許可、交通專項資金、公路建設招投標。", "濱江路30號", "0915-5210017", "政務大廳9號窗口"),
    ("audit", "縣審計局", K.BUREAU, "leading-group",
     "審計鄉鎮財政預算執行和決算、社會保障基金。", "人民路20號", "0915-5210018", ""),
    ("prices", "縣物價局", K.BUREAU, "leading-group",
     "收費項目和收費標準的核定與公示,查處亂收費。", "新建路15號", "0915-5210019", "政務大廳10號窗口"),
    ("land", "縣國土資源局", K.BUREAU, "leading-group",
     "土地徵用和拆遷補償、國有土地使用權出讓、採礦權出讓。", "濱江路12號", "0915-5210020", "政務大廳11號窗口"),
    ("family-planning", "縣人口和計劃生育局", K.BUREAU, "leading-group",
     "計劃生育服務、獎勵扶助資金發放。", "民主街18號", "0915-5210021", "政務大廳12號窗口"),
    ("agriculture", "縣農業局", K.BUREAU, "leading-group",
     "農機補貼、農民負擔監督、退耕還林資金。", "農科路2號", "0915-5210022", "政務大廳13號窗口"),
    ("water", "縣水利局", K.BUREAU, "leading-group",
     "水利工程建設與招投標、取水許可。", "濱江路40號", "0915-5210023", "政務大廳14號窗口"),
    ("construction", "縣建設局", K.BUREAU, "leading-group",
     "城市規劃建設管理、建設工程許可。", "新建路30號", "0915-5210024", "政務大廳15號窗口"),
    ("service-centre", "縣行政服務中心(政務大廳)", K.SERVICE_CENTRE, "open-gov-office",
     "集中辦理行政審批事項,一條龍服務。凡決定在政務大廳辦理的事項,一律在大廳辦理。",
     "人民路1號", "0915-5210030", "一樓服務台"),
    ("chengguan", "城關鎮人民政府", K.TOWNSHIP, None,
     "城關鎮政務,村務公開指導。", "城關鎮政府街1號", "0915-5210041", ""),
    ("jianchi", "澗池鎮人民政府", K.TOWNSHIP, None,
     "澗池鎮政務,流動公開欄覆蓋邊遠村莊。", "澗池鎮中街5號", "0915-5210042", ""),
]

# username, full name, role, department code, superuser
PEOPLE = [
    ("admin", "系統管理員", None, None, True),
    ("coordinator", "王公開", Role.COORDINATOR, "open-gov-office", False),
    ("supervisor", "李監察", Role.SUPERVISOR, "supervision", False),
    ("reviewer", "趙預審", Role.REVIEWER, "finance", False),
    ("publisher.finance", "陳財政", Role.PUBLISHER, "finance", False),
    ("publisher.education", "劉教育", Role.PUBLISHER, "education", False),
    ("reviewer.education", "周教育", Role.REVIEWER, "education", False),
    ("evaluator", "張代表", Role.EVALUATOR, None, False),
    # The window clerk registers applications at the hall (``approvals.demo`` gives the title).
    ("clerk.hall", "孫窗口", Role.PUBLISHER, "service-centre", False),
]

_loaders = []


def register_loader(loader) -> None:
    """Apps add their demo data: ``loader(stdout)`` runs after departments and people exist."""
    if loader not in _loaders:
        _loaders.append(loader)


def loaders() -> list:
    return list(_loaders)
