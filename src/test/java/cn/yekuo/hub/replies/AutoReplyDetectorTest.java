package cn.yekuo.hub.replies;

import cn.yekuo.hub.tokens.HandoffToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoReplyDetectorTest {

    private static final String TOKEN = new HandoffToken("hub-secret").tokenFor("YK-2026-000017", 1);

    private final AutoReplyDetector detector = new AutoReplyDetector();

    private static MimeMessage mail(String extraHeaders, String from, String subject) {
        return RawMail.headers("From: " + from + "\nSubject: " + RawMail.utf8Subject(subject) + "\n" + extraHeaders
                + "\nContent-Type: text/plain; charset=UTF-8").text("我正在休假，12月1日返回。", StandardCharsets.UTF_8).parse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Auto-Submitted: auto-replied",
            "Auto-Submitted: auto-generated",
            "Auto-Submitted: auto-notified; owner-email=\"x@y.cn\"",
            "X-Autoreply: yes",
            "X-Autorespond: Out of office",
            "Precedence: auto_reply",
            "Precedence: bulk",
            "Precedence: junk",
            "X-Auto-Response-Suppress: All",
            "X-Failed-Recipients: production@yekuo.local"})
    void automaticHeadersMarkAnAutoReply(String header) throws MessagingException {
        MimeMessage message = mail(header, "production@yekuo.local", "回复: " + TOKEN + " 方案");

        assertThat(detector.detect(message)).hasValueSatisfying(sign -> assertThat(sign).startsWith(header.substring(0, header.indexOf(':'))));
    }

    @Test
    void autoSubmittedNoIsAPersonsMail() throws MessagingException {
        assertThat(detector.detect(mail("Auto-Submitted: no", "production@yekuo.local", "回复: " + TOKEN))).isEmpty();
    }

    @Test
    void ordinaryReplyIsNotAutomatic() throws MessagingException {
        assertThat(detector.detect(mail("X-Mailer: Foxmail 7.2", "production@yekuo.local",
                "回复: 答复: Re: " + TOKEN + " 请提供供电方案(技术部分) — 杭州退信回复自动化有限公司"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAILER-DAEMON@mail.yekuo.local", "postmaster@yekuo.local", "\"Mail Delivery System\" <Mailer-Daemon@qq.com>"})
    void systemSendersAreBounces(String from) throws MessagingException {
        assertThat(detector.detect(mail("", from, "Re: " + TOKEN))).hasValueSatisfying(sign -> assertThat(sign).startsWith("From:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"自动回复: ", "自动回复：", "Auto Reply: ", "Automatic reply: ", "Out of Office: ", "Out of the office: ",
            "Undeliverable: ", "Delivery Status Notification (Failure) ", "系统退信: ", "退信: ", "AutoReply: "})
    void automaticSubjectsBeforeTheTokenAreRecognised(String prefix) throws MessagingException {
        assertThat(detector.detect(mail("", "production@yekuo.local", prefix + TOKEN + " 请提供供电方案")))
                .hasValueSatisfying(sign -> assertThat(sign).startsWith("Subject:"));
    }

    @Test
    void gbkEncodedAutoReplySubjectIsRecognised() throws MessagingException {
        MimeMessage message = RawMail.headers("From: production@yekuo.local\nSubject: "
                        + RawMail.bWord("GBK", ("自动回复: " + TOKEN).getBytes(RawMail.GBK)) + "\nContent-Type: text/plain")
                .ascii("away").parse();
        assertThat(detector.detect(message)).contains("Subject: 自动回复");
    }

    @Test
    void deliveryStatusNotificationReportIsABounce() throws MessagingException {
        MimeMessage message = RawMail.headers("""
                From: "Mail Delivery Subsystem" <bounces@mail.example.cn>
                Subject: Mail failure
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="R"
                """).ascii("""
                --R
                Content-Type: text/plain

                Delivery to production@yekuo.local failed.
                --R
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mail.example.cn
                Final-Recipient: rfc822; production@yekuo.local
                Action: failed
                Status: 5.1.1
                --R--
                """).parse();

        assertThat(detector.detect(message)).contains("Content-Type: multipart/report");
    }

    @Test
    void nullReturnPathIsABounce() throws MessagingException {
        assertThat(detector.detect(mail("Return-Path: <>", "robot@mail.example.cn", "Mail failure"))).contains("Return-Path: <>");
    }

    @Test
    void readerCarriesTheAutoReplySignOnTheReply() {
        MimeMessage message = mail("Auto-Submitted: auto-replied", "production@yekuo.local", "自动回复: " + TOKEN);
        MailReading reading = new UnitReplyReader().read(message);

        assertThat(reading).isInstanceOfSatisfying(MailReading.Read.class,
                read -> assertThat(read.reply().autoReplySign()).contains("Auto-Submitted: auto-replied"));
    }
}
