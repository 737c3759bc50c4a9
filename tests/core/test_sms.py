"""core.sms: numbers, segments, the channel rule, SMS_URL, the backends, and
the Alibaba Cloud adapter against a fake Dysmsapi on 127.0.0.1 that checks the
request's signature by the provider's documented algorithm (never the internet)."""

import base64
import hashlib
import hmac
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from core import sms
from marketplace.tasks import ORDER_SMS
from tours.tasks import BOOKING_SMS, WAITLIST_SMS

KEY_ID, SECRET = "LTAI-test-key", "test-secret/with+chars"


@pytest.mark.parametrize(
    ("raw", "mobile"),
    [
        ("13800000001", "13800000001"),
        ("+86 138-0000-0001", "13800000001"),
        ("0086 13800000001", "13800000001"),
        ("8613800000001", "13800000001"),
        ("010-65120000", ""),  # a landline takes no text message
        ("12800000001", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_mobile_numbers_are_recognised_and_landlines_are_not(raw, mobile):
    assert sms.normalise_mobile(raw) == mobile


def test_segments_count_chinese_by_70_and_ascii_by_160():
    assert sms.segments("中" * 70) == 1
    assert sms.segments("中" * 71) == 2
    assert sms.segments("a" * 160) == 1
    assert sms.segments("a" * 161) == 2


@pytest.mark.parametrize(
    ("email", "phone", "urgent", "ways"),
    [
        ("a@example.org", "", False, ["email"]),
        ("a@example.org", "13800000001", False, ["email"]),
        ("a@example.org", "13800000001", True, ["email", "sms"]),
        ("", "13800000001", False, ["sms"]),
        ("", "010-65120000", True, []),
        ("", "", True, []),
    ],
)
def test_the_channel_follows_what_the_customer_gave(email, phone, urgent, ways):
    assert sms.channels(email=email, phone=phone, urgent=urgent) == ways


def test_how_we_tell_says_what_will_happen():
    with translation.override("en"):
        assert sms.how_we_tell(email="", phone="13800000001") == ("by text message to 138****0001")
        assert sms.how_we_tell(email="a@example.org", phone="13800000001") == "by e-mail"
        assert sms.how_we_tell(email="", phone="") == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {"backend": "console"}),
        ("console://", {"backend": "console"}),
        ("locmem://", {"backend": "locmem"}),
        ("file:///tmp/sms.log", {"backend": "file", "path": "/tmp/sms.log"}),
        (
            "aliyun://KEY:SE%2FCRET@dysmsapi.aliyuncs.com/?sign_name=%E4%B8%9C%E5%9F%8E&region=cn-beijing",
            {
                "backend": "aliyun",
                "scheme": "https",
                "host": "dysmsapi.aliyuncs.com",
                "key_id": "KEY",
                "secret": "SE/CRET",
                "sign_name": "东城",
                "region": "cn-beijing",
                "timeout": 10.0,
            },
        ),
    ],
)
def test_sms_url_is_parsed_like_email_url(url, expected):
    assert sms.parse_url(url) == expected


def test_an_unknown_sms_url_scheme_fails_at_start():
    with pytest.raises(ImproperlyConfigured):
        sms.parse_url("carrier-pigeon://x")


def test_sms_templates_setting_is_kind_code_pairs():
    assert sms.parse_templates("order_ready=SMS_1, booking_offer=SMS_2,") == {
        "order_ready": "SMS_1",
        "booking_offer": "SMS_2",
    }


def test_the_file_backend_appends_one_json_line_a_message(tmp_path, settings):
    path = tmp_path / "sms.log"
    settings.SMS = {"backend": "file", "path": str(path)}
    for n in range(2):
        assert sms.send(
            text="订单%(code)s已取消。",
            params={"code": f"AB{n}"},
            to="+86 13800000001",
            language="zh-hans",
            kind="order_cancelled",
        )
    assert sms.read_file_outbox(path) == [
        {
            "to": "13800000001",
            "kind": "order_cancelled",
            "body": f"订单AB{n}已取消。",
            "params": {"code": f"AB{n}"},
        }
        for n in range(2)
    ]


def test_the_console_backend_prints_the_message():
    out = io.StringIO()
    sms.ConsoleBackend(stream=out).send(sms.SmsMessage(to="13800000001", body="你好", kind="x"))
    assert out.getvalue() == "SMS to 13800000001 (x): 你好\n"


def test_no_message_to_a_number_that_is_no_mobile(smsoutbox):
    assert not sms.send(text="x", params={}, to="010-65120000", language="en", kind="k")
    assert smsoutbox == []


def _values(n: int = 1, language: str = "zh-hans") -> dict[str, str]:
    # long but real values: a six-character code shown as "ABC 234", an
    # eight-character booking code, the longest demo route title
    return {
        "code": "ABC 234" if n == 1 else "K7M2Q9XW",
        "deadline": "12-05 18:00",
        "date": "12-06 08:00",
        "route": "Temple of Heaven + Hongluo Temple + Mutianyu Great Wall"
        if language == "en"
        else "天坛+红螺寺+慕田峪长城一日游",
    }


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_every_text_fits_one_segment_in_every_language(language):
    texts = [*ORDER_SMS.values(), *BOOKING_SMS.values(), *WAITLIST_SMS.values()]
    with translation.override(language):
        for n, text in enumerate(texts):
            body = str(text) % _values(1 if n < len(ORDER_SMS) else 2, language)
            if language != "en":
                assert not body.isascii(), f"untranslated: {body}"
            assert sms.segments(body) == 1, f"{len(body)} characters: {body}"


# --- Alibaba Cloud -------------------------------------------------------------------


def _expected_signature(query: list[tuple[str, str]]) -> str:
    """Alibaba Cloud RPC signature v1, written out again from its documentation."""

    def enc(value: str) -> str:
        return quote(value, safe="~").replace("+", "%20").replace("*", "%2A")

    params = sorted((k, v) for k, v in query if k != "Signature")
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in params)
    string_to_sign = "GET&%2F&" + enc(canonical)
    digest = hmac.new((SECRET + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class FakeDysmsapi(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []
    answer: dict = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}

    def do_GET(self):
        query = parse_qsl(urlsplit(self.path).query, keep_blank_values=True)
        params = dict(query)
        if params.get("Signature") != _expected_signature(query):
            status, body = 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        else:
            FakeDysmsapi.received.append(params)
            status, body = 200, FakeDysmsapi.answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_aliyun(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeDysmsapi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeDysmsapi.received = []
    FakeDysmsapi.answer = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}
    host = f"127.0.0.1:{server.server_port}"
    settings.SMS = sms.parse_url(
        f"aliyun+http://{KEY_ID}:{quote(SECRET, safe='')}@{host}/?sign_name=东城怀柔&region=cn-beijing&timeout=5"
    )
    settings.SMS_TEMPLATES = {"order_ready": "SMS_100", "booking_offer": "SMS_200"}
    yield FakeDysmsapi
    server.shutdown()
    server.server_close()


def test_the_aliyun_adapter_sends_a_signed_sendsms_request(fake_aliyun):
    assert sms.send(
        text=ORDER_SMS["ready"],
        params={"code": "ABC 234", "deadline": "12-05 18:00"},
        to="13800000001",
        language="zh-hans",
        kind="order_ready",
    )
    (request,) = fake_aliyun.received
    assert request["Action"] == "SendSms" and request["Version"] == "2017-05-25"
    assert request["AccessKeyId"] == KEY_ID and request["RegionId"] == "cn-beijing"
    assert request["SignatureMethod"] == "HMAC-SHA1" and request["SignatureVersion"] == "1.0"
    assert request["PhoneNumbers"] == "13800000001"
    assert request["SignName"] == "东城怀柔"
    assert request["TemplateCode"] == "SMS_100"
    assert json.loads(request["TemplateParam"]) == {"code": "ABC 234", "deadline": "12-05 18:00"}
    assert request["Format"] == "JSON" and request["Timestamp"].endswith("Z")
    assert request["SignatureNonce"]


def test_each_request_has_its_own_nonce(fake_aliyun):
    for _ in range(2):
        sms.send(text="x", params={}, to="13800000001", language="en", kind="booking_offer")
    nonces = {r["SignatureNonce"] for r in fake_aliyun.received}
    assert len(nonces) == 2


def test_a_refusal_by_the_provider_is_logged_and_false(fake_aliyun, caplog):
    fake_aliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit"}
    assert not sms.send(text="x", params={}, to="13800000001", language="en", kind="order_ready")
    assert "refused" in caplog.text


def test_a_wrong_secret_is_refused_by_the_signature_check(fake_aliyun, settings):
    settings.SMS = {**settings.SMS, "secret": "not-the-secret"}
    assert not sms.send(text="x", params={}, to="13800000001", language="en", kind="order_ready")
    assert fake_aliyun.received == []


def test_an_unreachable_provider_is_false_not_an_exception(settings):
    settings.SMS = sms.parse_url("aliyun+http://k:s@127.0.0.1:9/?sign_name=x&timeout=2")
    settings.SMS_TEMPLATES = {"order_ready": "SMS_1"}
    assert not sms.send(text="x", params={}, to="13800000001", language="en", kind="order_ready")


def test_a_kind_without_a_template_code_is_a_configuration_error(fake_aliyun):
    with pytest.raises(ImproperlyConfigured):
        sms.send(text="x", params={}, to="13800000001", language="en", kind="order_placed")
