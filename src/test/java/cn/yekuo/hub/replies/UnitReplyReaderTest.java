package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyGrammarTest;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.grammar.ReplyResult;
import cn.yekuo.hub.tokens.HandoffToken;
import static cn.yekuo.hub.replies.RawMail.GB18030;
import static cn.yekuo.hub.replies.RawMail.GB2312;
import static cn.yekuo.hub.replies.RawMail.GBK;
import static cn.yekuo.hub.replies.RawMail.bWord;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class UnitReplyReaderTest {

    private static final String TOKEN = new HandoffToken("hub-secret").tokenFor("YK-2026-000017", 1);
    private static final String SUBJECT = "回复: " + TOKEN + " 请提供供电方案(技术部分) Supply scheme, technical — 杭州东郊新材料有限公司";
    private static final String BODY = "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n说明：请联系王工\n--\n生产技术部 张工\n";

    private final UnitReplyReader reader = new UnitReplyReader();

    private UnitReply read(MimeMessage message) {
        MailReading reading = reader.read(message);
        assertThat(reading).isInstanceOf(MailReading.Read.class);
        return ((MailReading.Read) reading).reply();
    }

    private Rejection refusal(UnitReplyReader reader, MimeMessage message) {
        MailReading reading = reader.read(message);
        assertThat(reading).isInstanceOf(MailReading.Refused.class);
        return ((MailReading.Refused) reading).rejection();
    }

    @Test
    void senderIsTheLowerCasedFromAddressAndMessageIdIsKept() {
        UnitReply reply = read(RawMail.plainReply("\"张工\" <Zhang.Gong@Production.YEKUO.local>", RawMail.utf8Subject(SUBJECT),
                BODY, StandardCharsets.UTF_8, "UTF-8"));

        assertThat(reply.sender()).isEqualTo("zhang.gong@production.yekuo.local");
        assertThat(reply.messageId()).contains("<reply-1@unit.example.cn>");
        assertThat(reply.subject()).isEqualTo(SUBJECT);
        assertThat(reply.autoReplySign()).isEmpty();
    }

    @Test
    void gbkBodyLabelledGbkIsDecoded() {
        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", RawMail.utf8Subject(SUBJECT), BODY, GBK, "GBK"));

        assertThat(reply.body()).contains("结论：同意").contains("110kV东郊变 10kV 912东园线");
    }

    @Test
    void gb18030BodyWithAFourByteCharacterIsDecoded() {
        String body = BODY.replace("王工", "𠮷工"); // U+20BB7 exists only in GB18030, as four bytes
        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", RawMail.utf8Subject(SUBJECT), body, GB18030, "GB18030"));

        assertThat(reply.body()).contains("说明：请联系𠮷工");
    }

    @Test
    void bodyLabelledGb2312ButWrittenInGbkIsDecodedAsTheGb18030Superset() {
        String body = BODY.replace("王工", "王镕工"); // 镕 is in GBK, not in GB2312
        assertThat(GB2312.newEncoder().canEncode("镕")).isFalse();

        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", RawMail.utf8Subject(SUBJECT), body, GBK, "gb2312"));

        assertThat(reply.body()).contains("请联系王镕工").contains("结论：同意");
    }

    @Test
    void gbkBodyWithoutACharsetIsRecognisedByFallingBackToGb18030() {
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: %s
                Content-Type: text/plain
                Content-Transfer-Encoding: 8bit
                """.formatted(RawMail.utf8Subject(SUBJECT))).text(BODY, GBK).parse();

        assertThat(read(message).body()).contains("结论：同意");
    }

    @Test
    void gbkBodyWronglyLabelledUtf8IsStillDecoded() {
        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", RawMail.utf8Subject(SUBJECT), BODY, GBK, "UTF-8"));

        assertThat(reply.body()).contains("结论：同意").contains("东郊变");
    }

    @Test
    void utf8BodyLabelledWithAnUnknownCharsetIsStillDecoded() {
        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", RawMail.utf8Subject(SUBJECT), BODY,
                StandardCharsets.UTF_8, "x-unknown-charset"));

        assertThat(reply.body()).contains("结论：同意");
    }

    @Test
    void base64Gb2312BodyIsDecoded() {
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: %s
                Content-Type: text/plain; charset="gb2312"
                Content-Transfer-Encoding: base64
                """.formatted(RawMail.utf8Subject(SUBJECT))).base64(BODY.getBytes(GB2312)).parse();

        assertThat(read(message).body()).contains("电源点：110kV东郊变");
    }

    @Test
    void gb2312SubjectSplitInsideAMultibyteCharacterAcrossEncodedWordsIsJoined() {
        // Encoded as Windows clients do (cp936): Java's own GB2312 table has no U+2014 for the em dash.
        byte[] subject = SUBJECT.getBytes(GBK);
        int chineseAfterToken = SUBJECT.indexOf("请");
        int split = SUBJECT.substring(0, chineseAfterToken).getBytes(GBK).length + 1; // inside 请
        int secondSplit = split + 9; // odd distance: the next cut is inside a character too
        assertThat(new String(Arrays.copyOfRange(subject, 0, split), GBK)).doesNotEndWith("请");
        String header = bWord("GB2312", Arrays.copyOfRange(subject, 0, split)) + "\r\n "
                + bWord("GB2312", Arrays.copyOfRange(subject, split, secondSplit)) + "\r\n "
                + bWord("gb2312", Arrays.copyOfRange(subject, secondSplit, subject.length));

        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", header, BODY, GBK, "GBK"));

        assertThat(reply.subject()).isEqualTo(SUBJECT);
    }

    @Test
    void pureGb2312SubjectSplitAtAnOddByteIsJoined() {
        String subject = "答复: " + TOKEN + " 请提供供电方案(技术部分)";
        byte[] bytes = subject.getBytes(GB2312);
        int cut = subject.substring(0, subject.indexOf("供")).getBytes(GB2312).length + 1;
        String header = bWord("GB2312", Arrays.copyOfRange(bytes, 0, cut)) + "\r\n\t"
                + bWord("GB2312", Arrays.copyOfRange(bytes, cut, bytes.length));

        assertThat(read(RawMail.plainReply("production@yekuo.local", header, BODY, GB2312, "GB2312")).subject()).isEqualTo(subject);
    }

    @Test
    void contractExampleReplyArrivingInGbkIsReadAndParsed() {
        String subject = "回复: " + TOKEN + " 请提供供电方案(技术部分) Supply scheme, technical — 杭州东郊新材料有限公司";
        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", bWord("GBK", subject.getBytes(GBK)),
                ReplyGrammarTest.CONTRACT_EXAMPLE, GBK, "GBK"));
        ParsedReply parsed = new ReplyGrammar().parse(reply.body());

        assertThat(reply.subject()).isEqualTo(subject);
        assertThat(parsed.result()).contains(ReplyResult.APPROVED);
        assertThat(parsed.text(ReplyKey.OWNERSHIP_BOUNDARY)).contains("912东园线 #23杆 T接点刀闸下桩头");
        assertThat(ReplyValidator.checkContent(cn.yekuo.hub.domain.TaskKind.SCHEME_TECHNICAL, parsed, 0)).isEmpty();
    }

    @Test
    void foxmailHtmlReplyStopsAtItsOriginalMailMarkerWrittenWithNoBreakSpaces() {
        String html = "<div>结论：不同意</div><div>说明：容量不足</div><div><br></div>"
                + "<div>------------------\u00A0原始邮件\u00A0------------------</div>"
                + "<div><b>发件人:</b> hub@yekuo.local</div><div>结论 (RESULT): 同意 / 不同意 (APPROVED / REJECTED)</div>";
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: %s
                Content-Type: text/html; charset=UTF-8
                """.formatted(RawMail.utf8Subject(SUBJECT))).text(html, StandardCharsets.UTF_8).parse();

        ParsedReply parsed = new ReplyGrammar().parse(read(message).body());

        assertThat(parsed.result()).contains(ReplyResult.REJECTED);
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void quotedPrintableGbkSubjectSplitInsideACharacterIsJoined() {
        byte[] subject = "回复: 方案".getBytes(GBK);
        String q1 = qWord(Arrays.copyOfRange(subject, 0, 3));
        String q2 = qWord(Arrays.copyOfRange(subject, 3, subject.length));
        UnitReply reply = read(RawMail.plainReply("production@yekuo.local", "=?GBK?Q?" + q1 + "?= =?GBK?Q?" + q2 + "?= " + TOKEN,
                BODY, GBK, "GBK"));

        assertThat(reply.subject()).isEqualTo("回复: 方案 " + TOKEN);
    }

    @Test
    void rawEightBitGbkSubjectIsDecoded() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("Subject: ".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(SUBJECT.getBytes(GBK)); // no encoded words at all, as some clients send
        raw.writeBytes(RawMail.headers("\nFrom: production@yekuo.local\nContent-Type: text/plain; charset=GBK")
                .text(BODY, GBK).bytes());

        assertThat(read(RawMail.parse(raw.toByteArray())).subject()).isEqualTo(SUBJECT);
    }

    @Test
    void htmlOnlyBodyBecomesTextWithLineBreaksAndDecodedEntities() {
        String html = "<html><head><style>p{color:red}</style></head><body>"
                + "<div>结论：同意</div><div>电源点：110kV东郊变&nbsp;10kV&nbsp;912东园线</div>"
                + "<p>接入点：912东园线 &#x23;23杆 T接</p>产权分界点：刀闸&lt;下桩头&gt;<br>说明：&amp;&#20013;文"
                + "<div>--</div><div>张工</div><blockquote>结论：不同意</blockquote></body></html>";
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: %s
                Content-Type: text/html; charset=GBK
                Content-Transfer-Encoding: base64
                """.formatted(RawMail.utf8Subject(SUBJECT))).base64(html.getBytes(GBK)).parse();

        UnitReply reply = read(message);
        ParsedReply parsed = new ReplyGrammar().parse(reply.body());

        assertThat(reply.body()).doesNotContain("<div").doesNotContain("<br").doesNotContain("color:red");
        assertThat(parsed.result()).contains(ReplyResult.APPROVED);
        assertThat(parsed.text(ReplyKey.SOURCE)).contains("110kV东郊变 10kV 912东园线");
        assertThat(parsed.text(ReplyKey.CONNECTION_POINT)).contains("912东园线 #23杆 T接");
        assertThat(parsed.text(ReplyKey.OWNERSHIP_BOUNDARY)).contains("刀闸<下桩头>");
        assertThat(parsed.text(ReplyKey.NOTE)).contains("&中文");
    }

    @Test
    void blockquotedOriginalInAnHtmlReplyIsQuotedText() {
        String html = "<div>结论：不同意</div><div>说明：负荷不足</div>"
                + "<blockquote style=\"margin:0\"><div>结论 (RESULT): 同意 / 不同意</div><div>电源点：</div></blockquote>";
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: %s
                Content-Type: text/html; charset=UTF-8
                """.formatted(RawMail.utf8Subject(SUBJECT))).text(html, StandardCharsets.UTF_8).parse();

        ParsedReply parsed = new ReplyGrammar().parse(read(message).body());

        assertThat(parsed.result()).contains(ReplyResult.REJECTED);
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void multipartAlternativePrefersThePlainTextPart() {
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: %s
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="ALT"
                """.formatted(RawMail.utf8Subject(SUBJECT)))
                .ascii("--ALT\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n")
                .text("结论：同意\n电源点：纯文本\n", GBK)
                .ascii("\n--ALT\nContent-Type: text/html; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n")
                .text("<div>结论：不同意</div><div>电源点：HTML</div>", GBK)
                .ascii("\n--ALT--\n").parse();

        UnitReply reply = read(message);

        assertThat(reply.body()).contains("电源点：纯文本").doesNotContain("HTML");
        assertThat(reply.attachments()).isEmpty();
    }

    @Test
    void foxmailStyleMixedRelatedAlternativeWithAttachmentGivesBodyAndAttachment() {
        byte[] pdf = "%PDF-1.4 design".getBytes(StandardCharsets.US_ASCII);
        MimeMessage message = RawMail.headers("""
                From: construction@yekuo.local
                Subject: %s
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="MIX"
                """.formatted(RawMail.utf8Subject(SUBJECT)))
                .ascii("--MIX\nContent-Type: multipart/related; boundary=\"REL\"\n\n")
                .ascii("--REL\nContent-Type: multipart/alternative; boundary=\"ALT\"\n\n")
                .ascii("--ALT\nContent-Type: text/plain; charset=\"GB2312\"\nContent-Transfer-Encoding: base64\n\n")
                .base64("结论：完成\n".getBytes(GB2312))
                .ascii("--ALT\nContent-Type: text/html; charset=\"GB2312\"\nContent-Transfer-Encoding: base64\n\n")
                .base64("<div>结论：完成</div>".getBytes(GB2312))
                .ascii("--ALT--\n--REL--\n")
                .ascii("--MIX\nContent-Type: application/pdf; name=\"design.pdf\"\n"
                        + "Content-Disposition: attachment; filename=\"design.pdf\"\nContent-Transfer-Encoding: base64\n\n")
                .base64(pdf)
                .ascii("--MIX--\n").parse();

        UnitReply reply = read(message);

        assertThat(reply.body()).isEqualTo("结论：完成\n");
        assertThat(reply.attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.fileName()).isEqualTo("design.pdf");
            assertThat(attachment.contentType()).isEqualTo("application/pdf");
            assertThat(attachment.content()).isEqualTo(pdf);
            assertThat(attachment.size()).isEqualTo(pdf.length);
        });
    }

    @Test
    void attachmentNamesInRfc2231Utf8AndGbkAndRfc2047AreDecoded() {
        String utf8Name = "设计图纸-东郊新材料.pdf";
        String gbkName = "竣工资料.zip";
        String b2047Name = "施工方案.docx";
        MimeMessage message = RawMail.headers("""
                From: construction@yekuo.local
                Subject: %s
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="MIX"
                """.formatted(RawMail.utf8Subject(SUBJECT)))
                .ascii("--MIX\nContent-Type: text/plain; charset=UTF-8\n\n").text("结论：完成\n", StandardCharsets.UTF_8)
                .ascii("--MIX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
                        + "Content-Disposition: attachment;\n filename*0*=UTF-8''" + percent(utf8Name, StandardCharsets.UTF_8).substring(0, 27)
                        + ";\n filename*1*=" + percent(utf8Name, StandardCharsets.UTF_8).substring(27) + "\n\n")
                .base64(new byte[] {1, 2, 3})
                .ascii("--MIX\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n"
                        + "Content-Disposition: attachment; filename*=GBK''" + percent(gbkName, GBK) + "\n\n")
                .base64(new byte[] {4, 5})
                .ascii("--MIX\nContent-Type: application/octet-stream; name=\"" + bWord("GB2312", b2047Name.getBytes(GB2312)) + "\"\n"
                        + "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\""
                        + bWord("GB2312", b2047Name.getBytes(GB2312)) + "\"\n\n")
                .base64(new byte[] {6})
                .ascii("--MIX--\n").parse();

        UnitReply reply = read(message);

        assertThat(reply.attachments()).extracting(MailAttachment::fileName).containsExactly(utf8Name, gbkName, b2047Name);
        assertThat(reply.attachments()).extracting(MailAttachment::contentType)
                .containsExactly("application/pdf", "application/zip", "application/octet-stream");
    }

    @Test
    void attachmentWithoutANameGetsANumberedOne() {
        MimeMessage message = RawMail.headers("""
                From: construction@yekuo.local
                Subject: x
                Content-Type: multipart/mixed; boundary="MIX"
                """).ascii("--MIX\nContent-Type: text/plain\n\n结论\n--MIX\nContent-Type: image/png\n\nPNG\n--MIX--\n").parse();

        assertThat(read(message).attachments()).extracting(MailAttachment::fileName).containsExactly("attachment-1");
    }

    @Test
    void attachmentOverTheLimitIsRefusedWithItsNameAndSize() {
        UnitReplyReader small = new UnitReplyReader(1024, 1024 * 1024);
        MimeMessage message = mailWithAttachment("图纸.pdf", new byte[2048]);

        Rejection rejection = refusal(small, message);

        assertThat(rejection.code()).isEqualTo(RejectionCode.ATTACHMENT_TOO_LARGE);
        assertThat(rejection.messageZh()).contains("图纸.pdf");
        assertThat(rejection.messageEn()).contains("图纸.pdf");
    }

    @Test
    void defaultLimitRefusesAnAttachmentOfElevenMegabytes() {
        MimeMessage message = mailWithAttachment("big.pdf", new byte[11 * 1024 * 1024]);

        Rejection rejection = refusal(reader, message);

        assertThat(rejection.code()).isEqualTo(RejectionCode.ATTACHMENT_TOO_LARGE);
        assertThat(rejection.messageEn()).contains("11.0 MB").contains("10.0 MB");
    }

    @Test
    void attachmentExactlyAtTheLimitIsAccepted() {
        UnitReplyReader small = new UnitReplyReader(1024, 1024 * 1024);
        assertThat(small.read(mailWithAttachment("a.pdf", new byte[1024]))).isInstanceOf(MailReading.Read.class);
    }

    @Test
    void mailOverTheLimitIsRefusedEvenWhenEachAttachmentIsSmall() {
        UnitReplyReader small = new UnitReplyReader(100 * 1024, 64 * 1024);
        MimeMessage message = mailWithAttachment("a.pdf", new byte[90 * 1024]);

        MailReading reading = small.read(message);

        assertThat(reading).isInstanceOfSatisfying(MailReading.Refused.class, refused -> {
            assertThat(refused.rejection().code()).isEqualTo(RejectionCode.MAIL_TOO_LARGE);
            assertThat(refused.sender()).contains("construction@yekuo.local");
        });
    }

    @Test
    void mailWithoutFromIsUnreadable() {
        MimeMessage message = RawMail.headers("Subject: " + TOKEN + "\nContent-Type: text/plain; charset=UTF-8")
                .text(BODY, StandardCharsets.UTF_8).parse();

        Rejection rejection = refusal(reader, message);

        assertThat(rejection.code()).isEqualTo(RejectionCode.UNREADABLE);
        assertThat(((MailReading.Refused) reader.read(message)).subject()).contains(TOKEN);
    }

    @Test
    void multipartWithoutItsBoundaryIsUnreadableNotAnException() {
        MimeMessage message = RawMail.headers("""
                From: production@yekuo.local
                Subject: x
                Content-Type: multipart/mixed
                """).ascii("no boundary here\n").parse();

        assertThat(refusal(reader, message).code()).isEqualTo(RejectionCode.UNREADABLE);
    }

    @Test
    void mailWithoutBodyGivesAnEmptyBody() {
        MimeMessage message = RawMail.headers("From: production@yekuo.local\nSubject: x\nContent-Type: text/plain").parse();
        assertThat(read(message).body()).isEmpty();
    }

    private static MimeMessage mailWithAttachment(String name, byte[] content) {
        return RawMail.headers("""
                From: construction@yekuo.local
                Subject: %s
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="MIX"
                """.formatted(RawMail.utf8Subject(SUBJECT)))
                .ascii("--MIX\nContent-Type: text/plain; charset=UTF-8\n\n").text("结论：完成\n", StandardCharsets.UTF_8)
                .ascii("--MIX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
                        + "Content-Disposition: attachment; filename*=UTF-8''" + percent(name, StandardCharsets.UTF_8) + "\n\n")
                .base64(content)
                .ascii("--MIX--\n").parse();
    }

    private static String percent(String name, java.nio.charset.Charset charset) {
        return URLEncoder.encode(name, charset).replace("+", "%20");
    }

    private static String qWord(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int v = b & 0xFF;
            if (v > 0x20 && v < 0x7F && v != '=' && v != '?' && v != '_') {
                out.append((char) v);
            } else if (v == ' ') {
                out.append('_');
            } else {
                out.append('=').append(String.format("%02X", v));
            }
        }
        return out.toString();
    }
}
