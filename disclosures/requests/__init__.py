"""Information requests (依申請公開, DESIGN §3.3): the clock, the services, the reply
letters, the public pages, the admin, the public statistics and the yearly report.

The models are in ``disclosures.models.requests``; the workflow in ``disclosures.workflows``
and the events in ``disclosures.events``, next to the disclosures'.
"""
