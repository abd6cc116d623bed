"""The client's real address behind a reverse proxy (issue 11, item 7).

``X-Forwarded-For`` is read only when the immediate peer is one of
``GONGKAI_TRUSTED_PROXIES``, and then from the right, so a citizen can neither escape a
limit by writing the header nor share one limit with everyone behind the proxy.
"""

import pytest
from django.test import RequestFactory, override_settings

from portal.throttle import client_address

PROXY = "10.0.0.1"


def address(peer, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


class TestWithoutTrustedProxies:
    def test_the_peer_is_the_client(self):
        assert address("203.0.113.7") == "203.0.113.7"

    def test_a_forged_header_is_ignored(self):
        assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"

    def test_no_address_at_all_is_none(self):
        request = RequestFactory().get("/")
        del request.META["REMOTE_ADDR"]
        assert client_address(request) is None


class TestBehindTrustedProxies:
    @pytest.fixture(autouse=True)
    def _proxies(self, settings):
        settings.GONGKAI_TRUSTED_PROXIES = [PROXY, "172.16.0.0/12"]

    def test_the_forwarded_address_is_the_client(self):
        assert address(PROXY, "203.0.113.7") == "203.0.113.7"

    def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(self):
        assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"

    def test_what_the_client_wrote_left_of_the_proxys_entry_is_ignored(self):
        # The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the real address.
        assert address(PROXY, "198.51.100.1, 203.0.113.7") == "203.0.113.7"

    def test_a_chain_of_trusted_proxies_is_walked_from_the_right(self):
        assert address(PROXY, "198.51.100.1, 203.0.113.7, 172.20.0.5") == "203.0.113.7"

    def test_without_the_header_the_proxy_is_the_client(self):
        assert address(PROXY) == PROXY

    def test_garbage_stops_the_walk_at_the_last_readable_hop(self):
        assert address(PROXY, "203.0.113.7, <script>") == PROXY

    @pytest.mark.parametrize("forwarded, expected", [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ])
    def test_ports_and_address_forms_are_read(self, forwarded, expected):
        assert address(PROXY, forwarded) == expected


@pytest.mark.django_db
class TestThrottlesKeyOnTheClient:
    """Two citizens behind the same proxy get separate limits; a spoofer from outside does not."""

    TRACK = "/supervision/complaints/track/"

    def wrong_code(self, client, **meta):
        return client.post(self.TRACK, {"code": "AAAAAAAAAAAAAAAAAAAA", "secret": "x"}, **meta)

    @override_settings(GONGKAI_TRUSTED_PROXIES=[PROXY])
    def test_behind_a_trusted_proxy_two_citizens_have_separate_limits(self, client):
        for _ in range(10):
            self.wrong_code(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert self.wrong_code(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
        assert self.wrong_code(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200

    @override_settings(GONGKAI_TRUSTED_PROXIES=[PROXY])
    def test_a_direct_client_cannot_escape_its_limit_by_writing_the_header(self, client):
        for n in range(10):
            self.wrong_code(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert self.wrong_code(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429

    def test_without_trusted_proxies_everyone_behind_a_proxy_shares_its_address(self, client):
        """The reason for the setting: unset, the proxy's address is the only one seen."""
        for _ in range(10):
            self.wrong_code(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert self.wrong_code(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_a_bad_trusted_proxy_setting_stops_start_up(tmp_path):
    from tests.portal.test_settings_env import run

    result = run(["-c", "import django; django.setup()"], tmp_path, DEBUG="1", GONGKAI_TRUSTED_PROXIES="10.0.0.1,proxy.local")
    assert result.returncode != 0
    assert "GONGKAI_TRUSTED_PROXIES" in result.stderr and "proxy.local" in result.stderr
