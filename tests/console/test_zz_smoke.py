from tests.console.conftest import csrf_token
def test_smoke(staff_client):
    for path in ["/console", "/console/guides", "/console/guides/hotspot", "/console/guides/hotspot/yaml",
                 "/console/places", "/console/places/de-krook", "/console/organisations", "/console/unmatched",
                 "/console/chat", "/console/simulator", "/console/audit", "/console/history/guide/hotspot.yaml"]:
        r = staff_client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:2000])
