package cn.yekuo.hub.replies;

import cn.yekuo.hub.mailtransport.FileDigests;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailCharsets;
import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.tokens.HandoffToken;
import cn.yekuo.hub.tokens.TokenCheck;
import cn.yekuo.hub.tokens.TokenRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.metrics.BusinessCounters;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CaseTasks;
import cn.yekuo.hub.process.CommandResult;

/**
 * Handles each mail of the hub's mailbox (route {@code unit-replies}): keeps the raw message, reads it, checks it
 * against the addressed task and drives the workflow — or quarantines it and tells the representatives why. All of
 * it is one database transaction keyed by the hash of the Message-ID: a mail read again after a crash (committed,
 * not yet moved) is only moved to where it was meant to go.
 * <p>
 * Hostile mail (issue 15) cannot stall the reader: a mail over the size limit is refused from the server's size
 * before it is downloaded; reading is time-boxed ({@link ReadBudget}); a mail whose handling fails for a reason other
 * than an outage is tried {@code yk.mail.max-attempts} times (counted in the database) and then quarantined as poison.
 * A reply is timed by when it reached the mailbox (docs/contract.md §2), not by when the hub read it.
 */
@Component("unitReplies")
public class UnitReplies {

    public static final String CONSUMER = "unit-replies";
    public static final String PROCESSED = "PROCESSED";
    public static final String QUARANTINED = "QUARANTINED";

    private static final Logger log = LoggerFactory.getLogger(UnitReplies.class);

    private final UnitReplyReader reader;
    private final ReplyValidator validator;
    private final HandoffToken tokens;
    private final CaseProcess process;
    private final CaseStore cases;
    private final ReceivedMails mails;
    private final ApplicationEventPublisher events;
    private final MailMessages messages;
    // not a route's transacted: one IMAP poll hands the bean many mails, each committed (or quarantined) on its own
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String processedFolder;
    private final String quarantineFolder;
    private final ObjectMapper json = new ObjectMapper();
    private final PlanReplies returnVisits;
    private final CaseTasks tasks;
    private final MailAttempts attempts;
    private final MailDirectory mailboxes;
    private final ReadBudget budget;
    private final int maxAttempts;
    private final HubProperties.Mail.ForgeryAlert forgeryAlert;
    private final boolean byArrival;
    private final ReplyGrammar grammar = new ReplyGrammar();
    private final BusinessCounters counters;

    public UnitReplies(UnitReplyReader reader, HandoffToken tokens, StoreTaskDirectory directory, CaseProcess process,
                       CaseStore cases, ReceivedMails mails, ApplicationEventPublisher events, MailMessages messages,
                       TransactionTemplate tx, Clock clock, HubProperties properties, PlanReplies returnVisits,
                       CaseTasks tasks, MailAttempts attempts, MailDirectory mailboxes, BusinessCounters counters) {
        this.counters = counters;
        counters.knownQuarantineReasons(java.util.Arrays.stream(RejectionCode.values()).map(Enum::name).toList());
        this.mailboxes = mailboxes;
        this.returnVisits = returnVisits;
        this.reader = reader;
        this.tokens = tokens;
        HubProperties.Mail mail = properties.mail();
        this.validator = new ReplyValidator(tokens, directory,
                new AuthenticationResults(mail.authResults().enabled(), mail.authResults().authservId()));
        this.tasks = tasks;
        this.attempts = attempts;
        this.budget = new ReadBudget(mail.readBudget(), 4);
        this.maxAttempts = Math.max(1, mail.maxAttempts());
        this.forgeryAlert = mail.forgeryAlert();
        this.byArrival = mail.timeRepliesByArrival();
        this.process = process;
        this.cases = cases;
        this.mails = mails;
        this.events = events;
        this.messages = messages;
        this.tx = tx;
        this.clock = clock;
        this.processedFolder = properties.mail().processedFolder();
        this.quarantineFolder = properties.mail().quarantineFolder();
    }

    @PreDestroy
    void stop() {
        budget.close();
    }

    /** What became of a mail: PROCESSED or QUARANTINED, the folder it goes to, and why. */
    public record Outcome(String outcome, String folder, String caseNo, Integer taskNo, List<Rejection> reasons,
                          boolean repeated) {
    }

    /**
     * When the mail reached the hub's mailbox, as far as known: the server's INTERNALDATE and the mail's Date header
     * (either may be null).
     */
    public record Arrival(OffsetDateTime internalDate, OffsetDateTime dateHeader) {
        static final Arrival UNKNOWN = new Arrival(null, null);
    }

    /** A mail refused before it is downloaded; sender and subject from single header fetches. */
    private record Unread(Rejection rejection, String sender, String subject) {
    }

    /** What was learnt about a mail while handling it, for a poison quarantine after the transaction failed. */
    private static final class Facts {
        String sender;
        String subject;
    }

    /** The route's step: handles the mail and tells camel-mail where to move it. Nothing is ever deleted. */
    public void receive(Exchange exchange) throws MessagingException {
        jakarta.mail.Message mail;
        MailMessage in = exchange.getIn(MailMessage.class);
        if (in != null && in.getOriginalMessage() != null) {
            mail = in.getOriginalMessage();
        } else {
            mail = exchange.getIn().getBody(jakarta.mail.Message.class);
        }
        Arrival arrival = byArrival ? new Arrival(time(mail.getReceivedDate()), time(sentDate(mail))) : Arrival.UNKNOWN;
        String messageId = firstHeader(mail, "Message-ID");
        // IMAP RFC822.SIZE comes with the envelope: an oversize mail is refused before a byte of it is downloaded
        int size = mail.getSize();
        Outcome outcome = size > reader.maxMailBytes()
                ? handleUnread(mail, messageId, size, arrival)
                : handle(writer(mail), messageId, arrival, null);
        exchange.getIn().removeHeader("copyTo");
        exchange.getIn().setHeader("delete", Boolean.FALSE);
        exchange.getIn().setHeader("moveTo", outcome.folder());
    }

    /** For callers holding a parsed message (tests, tools). */
    public Outcome handle(MimeMessage message) throws MessagingException {
        return handle(writer(message), firstHeader(message, "Message-ID"), Arrival.UNKNOWN, null);
    }

    /** Keeps a stub of the few headers fetched one by one (the mail itself stays on the server) and quarantines it. */
    private Outcome handleUnread(jakarta.mail.Message mail, String messageId, int size, Arrival arrival)
            throws MessagingException {
        String from = oneLine(firstHeader(mail, "From"), 1000);
        String rawSubject = oneLine(firstHeader(mail, "Subject"), 12 * UnitReplyReader.QUOTED_SUBJECT_CHARS);
        String subject = UnitReplyReader.quoted(rawSubject == null ? null : MailCharsets.decodeHeader(rawSubject));
        String sender = null;
        try {
            sender = from == null ? null : new InternetAddress(from, false).getAddress().toLowerCase(java.util.Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            sender = null; // an unreadable From: the notice says "-"
        }
        String stub = "X-YK-Not-Downloaded: " + size + " bytes, over yk.mail.max-mail-bytes\r\n"
                + (from == null ? "" : "From: " + from + "\r\n")
                + (rawSubject == null ? "" : "Subject: " + rawSubject + "\r\n")
                + (messageId == null ? "" : "Message-ID: " + oneLine(messageId, 1000) + "\r\n") + "\r\n";
        Unread unread = new Unread(Rejection.mailTooLarge(size, reader.maxMailBytes()), sender, subject);
        return handle(out -> out.write(stub.getBytes(StandardCharsets.UTF_8)), messageId, arrival, unread);
    }

    private static ReceivedMails.Writer writer(jakarta.mail.Message mail) {
        return mail::writeTo;
    }

    private static String firstHeader(jakarta.mail.Message mail, String name) throws MessagingException {
        String[] values = mail.getHeader(name);
        return values == null || values.length == 0 || values[0].isBlank() ? null : values[0].trim();
    }

    Outcome handle(ReceivedMails.Writer source, String messageId, Arrival arrival, Unread unread) {
        ReceivedMails.RawCopy raw = mails.copyRaw(source);
        String key = sha256(messageId != null ? "message-id:" + messageId : "raw:" + raw.sha256());
        MDC.put("mailKey", key.substring(0, 12));
        String outerCaseNo = MDC.get("caseNo");
        Facts facts = new Facts();
        try {
            Outcome outcome;
            try {
                outcome = tx.execute(status -> {
                    Optional<ReceivedMails.Handled> seen = mails.find(key);
                    if (seen.isPresent()) {
                        ReceivedMails.Handled h = seen.get();
                        if (h.caseNo() != null) {
                            MDC.put("caseNo", h.caseNo());
                        }
                        log.info("Mail {} was handled before ({} → {}): moved there again, no further effect",
                                messageId, h.outcome(), h.folder());
                        return new Outcome(h.outcome(), h.folder(), h.caseNo(), h.taskNo(), List.of(), true);
                    }
                    Outcome first = firstTime(raw, key, messageId, arrival, unread, facts);
                    attempts.forget(key); // failed attempts before this one no longer count
                    return first;
                });
            } catch (RuntimeException e) {
                outcome = afterFailure(e, raw, key, messageId, arrival, facts);
            }
            return outcome;
        } finally {
            mails.discard(raw); // on disk a kept mail was moved away; in the database store it was copied
            MDC.remove("mailKey");
            restore("caseNo", outerCaseNo);
        }
    }

    /**
     * The mail's transaction failed. An outage (database, disk, no free reader thread) is not the mail's fault: it is
     * read again at the next poll, uncounted. Anything else counts as a failed attempt — and when the attempt cannot
     * even be recorded (the database went down meanwhile) it stays a plain retry. At the last attempt the mail is
     * quarantined as poison with the error as its reason, so it never holds up the mailbox for good.
     */
    private Outcome afterFailure(RuntimeException e, ReceivedMails.RawCopy raw, String key, String messageId,
                                 Arrival arrival, Facts facts) {
        if (isOutage(e)) {
            log.warn("Mail {} not handled ({}): read again at the next poll", messageId, e.toString());
            throw e;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        int n;
        try {
            n = attempts.recordFailure(key, e.toString(), now);
        } catch (RuntimeException notRecorded) {
            e.addSuppressed(notRecorded);
            throw e;
        }
        if (n < maxAttempts && !(e instanceof ReadTimedOut t && t.runaway)) {
            log.warn("Mail {} failed (attempt {} of {}): read again at the next poll", messageId, n, maxAttempts, e);
            throw e;
        }
        log.error("Mail {} failed {} times: quarantined as poison", messageId, n, e);
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage(), 300));
        Rejection why = e instanceof ReadTimedOut ? Rejection.readTimeout(budget.budget(), n) : Rejection.processingFailed(n, detail);
        return tx.execute(status -> {
            String rawPath = Files.exists(raw.file()) ? mails.keepRaw(raw, key) : ReceivedMails.rawPathOf(key);
            Outcome outcome = quarantine(key, messageId, facts.sender, facts.subject, arrived(arrival, now),
                    List.of(why), rawPath, raw, null, false);
            attempts.forget(key);
            return outcome;
        });
    }

    /** How the operating system says that the disk, not the file's name or content, is at fault. */
    private static final List<String> DISK_FAULTS = List.of("No space left on device", "Disk quota exceeded",
            "Read-only file system", "Input/output error");

    /**
     * Failures that are the hub's, not the mail's: the database unreachable, the disk full or failing or not writable
     * by the hub, or no reader thread free. Any other I/O failure (a name the file system refuses, say) may be the
     * mail's doing, so it counts as an attempt: never retried for ever.
     */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof RejectedExecutionException || t instanceof java.nio.file.AccessDeniedException
                    || t instanceof IOException && isDiskFault(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDiskFault(Throwable io) {
        String text = io instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : String.valueOf(io.getMessage());
        return DISK_FAULTS.stream().anyMatch(text::contains);
    }

    /** Reading the mail ran past the time budget: counted as a failed attempt, not an outage. */
    static final class ReadTimedOut extends RuntimeException {
        /** The previous reading of the mail has not ended yet: it is the mail, so no further attempt (and thread). */
        final boolean runaway;

        ReadTimedOut(String messageId, java.time.Duration budget, boolean runaway) {
            super("reading mail " + messageId + " took longer than " + budget + (runaway ? " and still runs" : ""));
            this.runaway = runaway;
        }
    }

    /** The mail's reading as done within the time budget: the reader's result and, when read, its parsed body. */
    private record Reading(MailReading reading, ParsedReply parsed) {
    }

    private Outcome firstTime(ReceivedMails.RawCopy raw, String key, String messageId, Arrival arrival, Unread unread,
                              Facts facts) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime arrived = arrived(arrival, now);
        String rawPath = mails.keepRaw(raw, key);
        if (unread != null) {
            return quarantine(key, messageId, unread.sender(), unread.subject(), arrived, List.of(unread.rejection()),
                    rawPath, raw, null);
        }
        if (budget.stillRunning(key)) {
            throw new ReadTimedOut(messageId, budget.budget(), true); // an earlier reading of this mail still spins
        }
        java.io.File file = mails.parseable(raw, rawPath).toFile();
        Optional<Reading> done = budget.run(key, () -> {
            try (InputStream in = new SharedFileInputStream(file)) {
                MailReading reading = reader.read(new MimeMessage(messages.session(), in));
                return new Reading(reading, reading instanceof MailReading.Read r ? grammar.parse(r.reply().body()) : null);
            } catch (IOException | MessagingException e) {
                return new Reading(new MailReading.Refused(Rejection.unreadable(e.getClass().getSimpleName() + ": "
                        + e.getMessage()), Optional.empty(), Optional.empty()), null);
            }
        });
        if (done.isEmpty()) {
            // an attempt like any failure (a busy machine can be slow once): quarantined when the attempts are used up
            throw new ReadTimedOut(messageId, budget.budget(), false);
        }
        MailReading reading = done.get().reading();
        if (reading instanceof MailReading.Refused refused) {
            return quarantine(key, messageId, refused.sender().orElse(null), refused.subject().orElse(null), arrived,
                    List.of(refused.rejection()), rawPath, raw, null);
        }
        UnitReply reply = ((MailReading.Read) reading).reply();
        facts.sender = reply.sender();
        facts.subject = UnitReplyReader.quoted(reply.subject());
        return judge(reply, done.get().parsed(), key, messageId, arrival, now, rawPath, raw);
    }

    private Outcome judge(UnitReply reply, ParsedReply body, String key, String messageId, Arrival arrival,
                          OffsetDateTime now, String rawPath, ReceivedMails.RawCopy raw) {
        OffsetDateTime arrived = arrived(arrival, now);
        TokenCheck token = tokens.check(reply.subject());
        if (!reply.isAutoReply() && token.isAuthentic() && token.token().get() instanceof TokenRef.ReturnVisit plan) {
            // a supply station's return-visit results (issue 6): recorded per case, or the whole mail quarantined
            Optional<Rejection> refused = returnVisits.take(reply, plan, key, now);
            if (refused.isPresent()) {
                return quarantine(key, messageId, reply.sender(), reply.subject(), arrived, List.of(refused.get()), rawPath, raw, null);
            }
            mails.insert(key, messageId, null, null, null, reply.sender(), reply.subject(), arrived, PROCESSED, processedFolder,
                    null, rawPath, raw);
            return new Outcome(PROCESSED, processedFolder, null, null, List.of(), false);
        }
        Verdict verdict = validator.validate(reply, body);
        if (verdict instanceof Verdict.Quarantined q) {
            return quarantine(key, messageId, reply.sender(), reply.subject(), arrived, q.reasons(), rawPath, raw, null);
        }
        Verdict.Accepted accepted = (Verdict.Accepted) verdict;
        TokenRef.Task task = accepted.token();
        MDC.put("caseNo", task.caseNo()); // every line about this mail from here on names its case (the token verified)
        ParsedReply parsed = accepted.parsed();
        Map<String, String> fields = new LinkedHashMap<>();
        parsed.fields().forEach((k, v) -> {
            if (k != ReplyKey.RESULT) {
                fields.put(k.name(), v);
            }
        });
        TaskResult result = TaskResult.valueOf(parsed.result().orElseThrow().name());
        Optional<CaseTasks.TaskRow> taskRow = tasks.find(task.caseNo(), task.taskNo());
        OffsetDateTime openedAt = taskRow.map(CaseTasks.TaskRow::openedAt).orElse(null);
        OffsetDateTime answeredAt = answeredAt(arrival, now, openedAt);
        // the reply closes its task when it arrived; what it starts (the next unit's clock) starts now
        Command.CompleteTask command = new Command.CompleteTask(now, Actor.UNIT, task.taskNo(), result, fields, answeredAt);
        // the reply and its files are kept before the workflow runs, in its transaction: a hand-off it opens (the
        // design review) refers to the files by id (issue 15)
        // the task's row names its case: no second look-up of the case before the workflow locks it
        Long mailId = null;
        if (taskRow.isPresent()) {
            CaseTasks.TaskRow t = taskRow.get();
            mailId = mails.insert(key, messageId, t.caseId(), t.caseNo(), task.taskNo(), reply.sender(), reply.subject(),
                    arrived, PROCESSED, processedFolder, null, rawPath, raw);
            int index = 1;
            for (MailAttachment attachment : reply.attachments()) {
                mails.keepAttachment(mailId, t.caseId(), t.caseNo(), key, index++, attachment);
            }
        }
        // no message id for processed_message: the mail's key in unit_mail, inserted above in this transaction (or
        // refused), already makes a mail read again a no-op
        CommandResult applied = process.byCaseNo(task.caseNo(), command, CaseProcess.Source.NONE);
        if (applied instanceof CommandResult.Refused refused) {
            if (mailId != null) {
                mails.withdraw(mailId);
            }
            Rejection why = "UNKNOWN_CASE".equals(refused.code())
                    ? Rejection.unknownCase(task.caseNo(), task.taskNo())
                    : Rejection.refusedByWorkflow(task.caseNo(), task.taskNo(), refused.code(), refused.message());
            return quarantine(key, messageId, reply.sender(), reply.subject(), arrived, List.of(why), rawPath, raw, task);
        }
        counters.replyProcessed(taskRow.map(CaseTasks.TaskRow::unit).orElse(null));
        log.info("Reply from {} to {}/T{} ({}): {} with {} attachment(s), answered at {}", reply.sender(), task.caseNo(),
                task.taskNo(), accepted.kind(), result, reply.attachments().size(), answeredAt);
        return new Outcome(PROCESSED, processedFolder, task.caseNo(), task.taskNo(), List.of(), false);
    }

    /** When the mail reached the mailbox: the server's INTERNALDATE, never later than now; now when unknown. */
    static OffsetDateTime arrived(Arrival arrival, OffsetDateTime now) {
        OffsetDateTime internal = arrival.internalDate();
        return internal == null || internal.isAfter(now) ? now : internal;
    }

    /**
     * The time a reply answers its task (docs/contract.md §2): when our server received it (INTERNALDATE), never later
     * than now. The Date header is written by the sender, so it can only bound that time from below (a mail is not
     * received before it was written), never move a reply earlier. A server time before the task was opened means the
     * server's clock and ours disagree: then the time the hub reads the mail counts, as before.
     */
    static OffsetDateTime answeredAt(Arrival arrival, OffsetDateTime now, OffsetDateTime openedAt) {
        OffsetDateTime at = arrived(arrival, now);
        if (openedAt != null && at.isBefore(openedAt)) {
            return now;
        }
        OffsetDateTime date = arrival.dateHeader();
        if (date != null && date.isAfter(at) && !date.isAfter(now)) {
            at = date;
        }
        return at;
    }

    private Outcome quarantine(String key, String messageId, String sender, String subject, OffsetDateTime now,
                               List<Rejection> reasons, String rawPath, ReceivedMails.RawCopy raw, TokenRef.Task known) {
        return quarantine(key, messageId, sender, subject, now, reasons, rawPath, raw, known, true);
    }

    /** {@code linkCase} false: the case is not looked up (a poison mail may be poison because of its case). */
    private Outcome quarantine(String key, String messageId, String sender, String subject, OffsetDateTime now,
                               List<Rejection> reasons, String rawPath, ReceivedMails.RawCopy raw, TokenRef.Task known,
                               boolean linkCase) {
        TokenRef.Task task = known;
        if (task == null && subject != null && linkCase) {
            TokenCheck check = tokens.check(subject);
            if (check.isAuthentic() && check.token().get() instanceof TokenRef.Task t) {
                task = t;
            }
        }
        Optional<CaseRecord> c = task == null ? Optional.empty() : cases.findByCaseNo(task.caseNo());
        Long caseId = c.map(CaseRecord::id).orElse(null);
        String caseNo = c.map(CaseRecord::caseNo).orElse(null);
        Integer taskNo = c.isPresent() ? task.taskNo() : null;
        if (caseNo != null) {
            MDC.put("caseNo", caseNo);
        }
        counters.replyQuarantined(reasons.isEmpty() ? "UNKNOWN" : reasons.get(0).code().name());
        mails.insert(key, messageId, caseId, caseNo, taskNo, sender, subject, now, QUARANTINED, quarantineFolder,
                describe(reasons), rawPath, raw);
        boolean automatic = reasons.stream().anyMatch(r -> r.code() == RejectionCode.AUTO_REPLY);
        boolean forgery = sender != null && reasons.stream().anyMatch(r -> r.code() == RejectionCode.FORGED_TOKEN
                || r.code() == RejectionCode.SEVERAL_TOKENS);
        // once a stranger's forgeries raised the alert, that one mail speaks for them all within the window; a unit's
        // or station's own address keeps a notice for each mail (the representatives may have to call that unit)
        boolean alerted = forgery && alertOnRepeatedForgery(key, sender) && !mailboxes.isKnown(sender);
        if (!automatic && !alerted) {
            events.publishEvent(new MailQuarantined(key, sender, subject, messageId, now, caseId, caseNo, taskNo,
                    quarantineFolder, reasons));
        }
        log.warn("Mail {} from {} quarantined{}: {}", messageId, sender, automatic || alerted ? " without notice" : "",
                reasons.stream().map(r -> r.code() + " " + r.messageEn()).toList());
        return new Outcome(QUARANTINED, quarantineFolder, caseNo, taskNo, reasons, false);
    }

    /**
     * The threshold-th forged token from one sender within the window raises one alert; later ones add none. True
     * when the sender has been alerted within the window (now or before).
     */
    private boolean alertOnRepeatedForgery(String key, String sender) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime since = now.minus(forgeryAlert.window());
        if (attempts.alertedSince(sender, since)) {
            return true;
        }
        int count = attempts.forgeriesSince(sender, since);
        if (count >= forgeryAlert.threshold()) {
            attempts.recordAlert(sender, now, count);
            events.publishEvent(new ForgeriesRepeated(key, sender, count, forgeryAlert.window(), now));
            log.warn("{} forged-token mails from {} within {}: the representatives are alerted", count, sender,
                    forgeryAlert.window());
            return true;
        }
        return false;
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private static OffsetDateTime time(Date date) {
        return date == null ? null : date.toInstant().atOffset(ZoneOffset.UTC);
    }

    private static Date sentDate(jakarta.mail.Message mail) {
        try {
            return mail.getSentDate();
        } catch (MessagingException | RuntimeException e) {
            return null; // an unreadable Date header does not count
        }
    }

    private static String oneLine(String s, int max) {
        if (s == null) {
            return null;
        }
        String line = s.replaceAll("[\\r\\n]+", " ");
        return line.length() <= max ? line : line.substring(0, max);
    }

    private String describe(List<Rejection> reasons) {
        try {
            return json.writeValueAsString(reasons.stream()
                    .map(r -> Map.of("code", r.code().name(), "zh", r.messageZh(), "en", r.messageEn())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(FileDigests.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
