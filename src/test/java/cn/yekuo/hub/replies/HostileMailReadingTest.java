package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.HtmlText;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.grammar.ReplyResult;
import cn.yekuo.hub.returnvisits.ReturnVisitReply;
import cn.yekuo.hub.returnvisits.ReturnVisitReplyGrammar;
import cn.yekuo.hub.tokens.HandoffToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/**
 * The reader's defences one by one, without a hub: limits before parsing, HTML by a real parser in linear time, the
 * time budget, the Authentication-Results check and the rule that times a reply.
 */
class HostileMailReadingTest {

    private static final String TOKEN = new HandoffToken("hub-secret").tokenFor("YK-2026-000017", 1);
    private final UnitReplyReader reader = new UnitReplyReader();

    private static MimeMessage html(String html) {
        return RawMail.headers("""
                From: production@yekuo.local
                Subject: Re: %s
                Content-Type: text/html; charset=UTF-8
                """.formatted(TOKEN)).text(html, StandardCharsets.UTF_8).parse();
    }

    @Test
    void aCommentBombIsReadInLinearTime() {
        String bomb = "<!--\n".repeat(100_000) + "<div>结论：同意</div>";
        long start = System.nanoTime();

        MailReading reading = reader.read(html(bomb));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(reading).isInstanceOf(MailReading.Read.class);
        assertThat(((MailReading.Read) reading).reply().body()).doesNotContain("结论：同意"); // inside the open comment
    }

    @Test
    void unclosedTagsAndLongSpaceRunsAreReadInLinearTime() {
        String hostile = "<div " + "a".repeat(100_000) + "<p>" + " ".repeat(100_000) + "x" + "<b>".repeat(30_000)
                + "<div>".repeat(30_000) + "<table><tr><td>".repeat(10_000) + "<blockquote>".repeat(20_000) + "&amp".repeat(20_000);
        assertThat(hostile.length()).isLessThan(1_000_000); // under the body limit: this is about parsing time
        long start = System.nanoTime();

        assertThat(reader.read(html(hostile))).isInstanceOf(MailReading.Read.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void htmlWithCommentsScriptsAndQuotesBecomesTheTextAReaderSees() {
        String text = HtmlText.toText("<html><head><title>t</title></head><body><!-- 结论：不同意 -->"
                + "<script>var a='结论：不同意';</script><p>结论：同意</p>电源点：A&nbsp;B<br>说明：x<br><br><br>y"
                + "<blockquote><div>原文</div></blockquote></body></html>");

        assertThat(text).isEqualTo("结论：同意\n电源点：A B\n说明：x\n\ny\n> 原文");
    }

    @Test
    void aSubjectOverTheLimitIsRefusedAndQuotedShort() {
        MimeMessage m = RawMail.plainReply("production@yekuo.local", "Re: " + TOKEN + " " + "长".repeat(3000), "结论：同意",
                StandardCharsets.UTF_8, "UTF-8");

        MailReading.Refused refused = (MailReading.Refused) reader.read(m);

        assertThat(refused.rejection().code()).isEqualTo(RejectionCode.SUBJECT_TOO_LONG);
        assertThat(refused.subject().orElseThrow().length()).isLessThan(UnitReplyReader.QUOTED_SUBJECT_CHARS + 20);
        assertThat(refused.sender()).contains("production@yekuo.local");
    }

    @Test
    void aHugeEncodedSubjectIsRefusedBeforeItIsDecoded() {
        String word = RawMail.utf8Subject("长".repeat(40));
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            header.append(word).append("\n ");
        }
        MimeMessage m = RawMail.plainReply("production@yekuo.local", header.toString().trim(), "结论：同意",
                StandardCharsets.UTF_8, "UTF-8");

        assertThat(((MailReading.Refused) reader.read(m)).rejection().code()).isEqualTo(RejectionCode.SUBJECT_TOO_LONG);
    }

    @Test
    void tooManyHeaderFieldsAreRefused() {
        MimeMessage m = RawMail.headers("From: production@yekuo.local\nSubject: Re: " + TOKEN + "\n"
                + "X-Filler: 1\n".repeat(600) + "Content-Type: text/plain; charset=UTF-8\n").text("结论：同意", StandardCharsets.UTF_8).parse();

        assertThat(((MailReading.Refused) reader.read(m)).rejection().code()).isEqualTo(RejectionCode.TOO_MANY_HEADERS);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsParsed() {
        UnitReplyReader small = new UnitReplyReader(1024 * 1024, 10 * 1024 * 1024, 2000, 500, 64 * 1024);

        MailReading reading = small.read(html("<div>结论：同意</div>" + "<p>x</p>".repeat(20_000)));

        assertThat(((MailReading.Refused) reading).rejection().code()).isEqualTo(RejectionCode.BODY_TOO_LARGE);
        assertThat(small.read(html("<div>结论：同意</div>"))).isInstanceOf(MailReading.Read.class);
    }

    /** The body of a multipart (boundary b0) holding {@code depth - 1} nested multiparts and then a text part. */
    static String nestedMultiparts(int depth, String text) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            open.append("--b").append(i).append('\n');
            if (i < depth - 1) {
                open.append("Content-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\n\n");
            }
            close.insert(0, "\n--b" + i + "--\n");
        }
        return open + "Content-Type: text/plain; charset=UTF-8\n\n" + text + close;
    }

    private static MimeMessage multipart(String body) {
        return RawMail.headers("""
                From: production@yekuo.local
                Subject: Re: %s
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b0"
                """.formatted(TOKEN)).text(body, StandardCharsets.UTF_8).parse();
    }

    @Test
    void multipartsNestedTooDeeplyOrWithTooManyPartsAreRefused() {
        assertThat(reader.read(multipart(nestedMultiparts(8, "结论：同意")))).isInstanceOf(MailReading.Read.class);
        assertThat(((MailReading.Refused) reader.read(multipart(nestedMultiparts(9, "结论：同意")))).rejection().code())
                .isEqualTo(RejectionCode.MIME_TOO_COMPLEX);
        String hundred = "--b0\nContent-Type: text/plain\n\nx\n".repeat(99) + nestedMultiparts(1, "结论：同意");
        assertThat(reader.read(multipart(hundred))).isInstanceOf(MailReading.Read.class);
        assertThat(((MailReading.Refused) reader.read(multipart("--b0\nContent-Type: text/plain\n\nx\n" + hundred)))
                .rejection().code()).isEqualTo(RejectionCode.MIME_TOO_COMPLEX);
        UnitReplyReader strict = new UnitReplyReader(1024 * 1024, 10 * 1024 * 1024, 2000, 500, 64 * 1024, 2, 3);
        assertThat(strict.read(multipart(nestedMultiparts(3, "x")))).isInstanceOf(MailReading.Refused.class);
    }

    // ------------------------------------------------------------------ regexes over mail-controlled text

    /** Each of these took from seconds to hours before (a regex tried from every character of a long run). */
    @Test
    void longRunsOfStopsAfterAValueAreReadInLinearTime() {
        String body = "结论: APPROVED" + ".".repeat(500_000) + "x\n资产移交: 是" + "。".repeat(200_000) + "x\n";
        ParsedReply parsed = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> new ReplyGrammar().parse(body));
        assertThat(parsed.result()).isEmpty();
        assertThat(parsed.problems()).extracting(Rejection::code)
                .containsExactly(RejectionCode.UNKNOWN_RESULT, RejectionCode.INVALID_VALUE);
        assertThat(new ReplyGrammar().parse("结论: APPROVED。。!\n资产移交: 否.").result()).contains(ReplyResult.APPROVED);
        assertThat(new ReplyGrammar().parse("资产移交: 否.!").assetTransfer()).contains(false);
    }

    @Test
    void longBlankRunsInKeysAndReturnVisitLinesAreReadInLinearTime() {
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            assertThat(ReplyKey.fromLabel("电源点" + " ".repeat(200_000) + "x")).isEmpty();
            ReturnVisitReply visits = new ReturnVisitReplyGrammar().parse("YK-2026-000017" + " ".repeat(20_000) + "\u0085x");
            assertThat(visits.visits()).isEmpty();
        });
        assertThat(ReplyKey.fromLabel("电源点 （SOURCE） ")).contains(ReplyKey.SOURCE);
        assertThat(new ReturnVisitReplyGrammar().parse("YK-2026-000017 ： 满意").visits()).hasSize(1);
    }

    // ------------------------------------------------------------------ time budget

    @Test
    void workPastTheBudgetIsAbandonedAndWorkWithinItAnswers() {
        try (ReadBudget budget = new ReadBudget(Duration.ofMillis(200), 2)) {
            CountDownLatch never = new CountDownLatch(1);
            long start = System.nanoTime();
            assertThat(budget.run(() -> {
                never.await();
                return "late";
            })).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(budget.run(() -> "in time")).contains("in time");
        }
    }

    @Test
    void anAbandonedReadingIsKnownToStillRunUntilItReallyEnds() {
        java.util.concurrent.atomic.AtomicBoolean end = new java.util.concurrent.atomic.AtomicBoolean();
        try (ReadBudget budget = new ReadBudget(Duration.ofMillis(50), 2)) {
            assertThat(budget.run("mail-1", () -> {
                while (!end.get()) {
                    Thread.onSpinWait(); // ignores interrupts, as a runaway parser would
                }
                return "late";
            })).isEmpty();
            assertThat(budget.stillRunning("mail-1")).as("abandoned, but its thread still spins").isTrue();
            assertThat(budget.stillRunning("mail-2")).isFalse();
            end.set(true);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !budget.stillRunning("mail-1"));
            assertThat(budget.run("mail-1", () -> "in time")).contains("in time");
            assertThat(budget.stillRunning("mail-1")).isFalse();
        } finally {
            end.set(true);
        }
    }

    @Test
    void whenEveryReaderThreadRunsAwayTheNextMailIsAnOutageNotAVerdict() {
        java.util.concurrent.atomic.AtomicBoolean end = new java.util.concurrent.atomic.AtomicBoolean();
        try (ReadBudget budget = new ReadBudget(Duration.ofMillis(50), 1)) {
            assertThat(budget.run(() -> {
                while (!end.get()) {
                    Thread.onSpinWait(); // ignores interrupts, as a runaway parser would
                }
                return "never used";
            })).isEmpty();
            assertThatThrownBy(() -> budget.run(() -> "x")).isInstanceOf(RejectedExecutionException.class)
                    .satisfies(e -> assertThat(UnitReplies.isOutage(e)).isTrue());
        } finally {
            end.set(true); // the test's runaway thread must not spin on for the rest of the build
        }
    }

    // ------------------------------------------------------------------ Authentication-Results

    private final AuthenticationResults auth = new AuthenticationResults(true, "mx.yekuo.local");

    @Test
    void authenticationResultsOffVouchesForEveryone() {
        assertThat(AuthenticationResults.off().refusal(List.of(), "production@yekuo.local")).isEmpty();
    }

    private static final String FROM = "production@yekuo.local";

    @Test
    void spfOrDkimPassForTheFromDomainWithoutDmarcFailVouchesForTheSender() {
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass smtp.mailfrom=production@yekuo.local"), FROM)).isEmpty();
        assertThat(auth.refusal(List.of("MX.yekuo.local 1; spf=fail (not permitted); dkim=pass (good sig) header.d=yekuo.local;"
                + " dmarc=pass"), FROM)).isEmpty();
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass smtp.mailfrom=bounce@mail.yekuo.local"), FROM))
                .as("relaxed alignment").isEmpty();
    }

    @Test
    void failuresMissingHeadersAndOtherServersHeadersDoNotVouch() {
        assertThat(auth.refusal(List.of(), FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=fail smtp.mailfrom=production@yekuo.local; dkim=none"), FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass smtp.mailfrom=production@yekuo.local; dmarc=fail"), FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.attacker.example; spf=pass smtp.mailfrom=production@yekuo.local"), FROM))
                .as("another authserv-id").isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=softfail (mx.yekuo.local: spf=pass is a lie)"), FROM)).isPresent();
    }

    @Test
    void aPassForAnotherDomainSaysNothingAboutTheFromAddress() {
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass smtp.mailfrom=x@evil.example; dkim=pass header.d=evil.example"),
                FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass"), FROM)).as("no identity to align").isPresent();
    }

    @Test
    void aSemicolonInAQuotedStringDoesNotStartAnotherResult() {
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass smtp.mailfrom=\"x;dkim=pass header.d=yekuo.local y\"@attacker.example"),
                FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=pass (ok; \"really\") smtp.mailfrom=\"pro;duction\"@yekuo.local"), FROM))
                .as("quotes and comments are read, not split").isEmpty();
    }

    @Test
    void aPassVouchesOnlyWithItsOwnIdentityNeverWithAnEarlierResults() {
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=fail smtp.mailfrom=production@yekuo.local; "
                + "spf=pass smtp.helo=mail.attacker.example"), FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; dkim=fail header.d=yekuo.local; dkim=pass header.i=@attacker.example"),
                FROM)).isPresent();
        assertThat(auth.refusal(List.of("mx.yekuo.local; dkim=fail header.d=attacker.example; dkim = pass header.i=production@yekuo.local"),
                FROM)).as("a second signature of our domain").isEmpty();
    }

    @Test
    void onlyTheTopmostHeaderOfOurServerCounts() {
        // the sender can add headers below ours, never above
        assertThat(auth.refusal(List.of("mx.yekuo.local; spf=fail", "mx.yekuo.local; spf=pass smtp.mailfrom=" + FROM), FROM))
                .isPresent();
        assertThat(auth.refusal(List.of("other.example; spf=fail", "mx.yekuo.local; spf=pass smtp.mailfrom=" + FROM), FROM))
                .isEmpty();
    }

    @Test
    void databaseAndDiskOutagesAreNotTheMailsFault() {
        assertThat(UnitReplies.isOutage(new org.springframework.jdbc.CannotGetJdbcConnectionException("down"))).isTrue();
        assertThat(UnitReplies.isOutage(new org.springframework.transaction.CannotCreateTransactionException("down"))).isTrue();
        assertThat(UnitReplies.isOutage(new IllegalStateException(new java.io.UncheckedIOException(
                new java.io.IOException("No space left on device"))))).isTrue();
        assertThat(UnitReplies.isOutage(new java.io.UncheckedIOException(new java.nio.file.FileSystemException(
                "/data/mail/x", null, "Read-only file system")))).isTrue();
        assertThat(UnitReplies.isOutage(new IllegalStateException("unreadable case state"))).isFalse();
        assertThat(UnitReplies.isOutage(new org.springframework.dao.DataIntegrityViolationException("too long"))).isFalse();
    }

    @Test
    void aFileNameTheFileSystemRefusesIsTheMailsFaultNotAnOutage() {
        assertThat(UnitReplies.isOutage(new java.io.UncheckedIOException(new java.nio.file.FileSystemException(
                "/data/mail/attachments/x", null, "File name too long")))).isFalse();
    }

    @Test
    void storedFileNamesAreCutToTheirLastHundredAndFiftyUtf8BytesNeverInsideACharacter() {
        String chinese = "设".repeat(100) + ".pdf";
        String stored = ReceivedMails.safeFileName(chinese);
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(150);
        assertThat(stored).endsWith("设.pdf").matches("设+\\.pdf");
        String emoji = "\uD83D\uDCC4".repeat(60) + ".pdf"; // 4 bytes each: a cut inside one would leave half a pair
        assertThat(ReceivedMails.safeFileName(emoji)).matches("(\uD83D\uDCC4)+\\.pdf");
        assertThat(ReceivedMails.safeFileName("../a/b.pdf")).isEqualTo("__a_b.pdf");
    }

    @Test
    void aFailedAttachmentWriteLeavesNoTempFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir) throws Exception {
        cn.yekuo.hub.config.HubProperties hub = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                        java.util.Map.of("yk.data-dir", dataDir.toString()))).bindOrCreate("yk", cn.yekuo.hub.config.HubProperties.class);
        ReceivedMails mails = new ReceivedMails(null, hub, new cn.yekuo.hub.files.DiskStoredFiles(hub)); // fails before it reaches the database
        String key = "0123456789abcdef0123456789abcdef";
        java.nio.file.Path dir = dataDir.resolve("mail/attachments/YK-2026-000017/0123456789abcdef");
        java.nio.file.Files.createDirectories(dir.resolve("1-a.pdf").resolve("occupied")); // the target: a non-empty directory

        assertThatThrownBy(() -> mails.keepAttachment(1, 1, "YK-2026-000017", key, 1,
                new MailAttachment("a.pdf", "application/pdf", new byte[] {1, 2, 3}))).isInstanceOf(java.io.UncheckedIOException.class);
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("1-a.pdf");
        }
    }

    @Test
    void enabledWithoutAnAuthservIdIsAConfigurationError() {
        assertThatThrownBy(() -> new AuthenticationResults(true, " ")).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ timing

    private static final OffsetDateTime OPENED = OffsetDateTime.parse("2026-12-01T09:00:00+08:00");
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-20T09:00:00+08:00");

    @Test
    void aReplyIsTimedByItsArrivalNotByItsReading() {
        OffsetDateTime internal = OffsetDateTime.parse("2026-12-10T15:00:00+08:00");

        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(internal, null), NOW, OPENED)).isEqualTo(internal);
        assertThat(UnitReplies.answeredAt(UnitReplies.Arrival.UNKNOWN, NOW, OPENED)).isEqualTo(NOW);
        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(NOW.plusDays(1), null), NOW, OPENED))
                .as("never later than now").isEqualTo(NOW);
    }

    @Test
    void theSendersDateHeaderNeverMakesAReplyEarlier() {
        OffsetDateTime internal = OffsetDateTime.parse("2026-12-10T15:00:00+08:00");

        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(internal, internal.minusHours(2)), NOW, OPENED))
                .as("a backdated Date is the sender's word, not the server's").isEqualTo(internal);
        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(internal, OPENED.minusDays(1)), NOW, OPENED))
                .as("backdated before the hand-off").isEqualTo(internal);
        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(internal, NOW.plusDays(3)), NOW, OPENED))
                .as("in the future").isEqualTo(internal);
        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(OPENED.minusHours(1), null), NOW, OPENED))
                .as("a server time before the hand-off: the server's clock is off, the reading time counts").isEqualTo(NOW);
        assertThat(UnitReplies.answeredAt(new UnitReplies.Arrival(internal, internal.plusHours(1)), NOW, OPENED))
                .as("a mail is not received before it was written: a later Date bounds the arrival from below")
                .isEqualTo(internal.plusHours(1));
    }
}
