package cn.yekuo.hub.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.monthly.ReturnVisitReplies;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;

/**
 * Handles each mail of the hub's mailbox (route {@code unit-replies}): keeps the raw message, reads it, checks it
 * against the addressed task and drives the workflow — or quarantines it and tells the representatives why. All of
 * it is one database transaction keyed by the hash of the Message-ID: a mail read again after a crash (committed,
 * not yet moved) is only moved to where it was meant to go.
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
    private final QuarantineNotices notices;
    private final MailMessages messages;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String processedFolder;
    private final String quarantineFolder;
    private final ObjectMapper json = new ObjectMapper();
    private final ReturnVisitReplies returnVisits;

    public UnitReplies(UnitReplyReader reader, HandoffToken tokens, StoreTaskDirectory directory, CaseProcess process,
                       CaseStore cases, ReceivedMails mails, QuarantineNotices notices, MailMessages messages,
                       TransactionTemplate tx, Clock clock, HubProperties properties, ReturnVisitReplies returnVisits) {
        this.returnVisits = returnVisits;
        this.reader = reader;
        this.tokens = tokens;
        this.validator = new ReplyValidator(tokens, directory);
        this.process = process;
        this.cases = cases;
        this.mails = mails;
        this.notices = notices;
        this.messages = messages;
        this.tx = tx;
        this.clock = clock;
        this.processedFolder = properties.mail().processedFolder();
        this.quarantineFolder = properties.mail().quarantineFolder();
    }

    /** What became of a mail: PROCESSED or QUARANTINED, the folder it goes to, and why. */
    public record Outcome(String outcome, String folder, String caseNo, Integer taskNo, List<Rejection> reasons,
                          boolean repeated) {
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
        Outcome outcome = handle(writer(mail), firstHeader(mail, "Message-ID"));
        exchange.getIn().removeHeader("copyTo");
        exchange.getIn().setHeader("delete", Boolean.FALSE);
        exchange.getIn().setHeader("moveTo", outcome.folder());
    }

    /** For callers holding a parsed message (tests, tools). */
    public Outcome handle(MimeMessage message) throws MessagingException {
        return handle(writer(message), firstHeader(message, "Message-ID"));
    }

    private static ReceivedMails.Writer writer(jakarta.mail.Message mail) {
        return mail::writeTo;
    }

    private static String firstHeader(jakarta.mail.Message mail, String name) throws MessagingException {
        String[] values = mail.getHeader(name);
        return values == null || values.length == 0 || values[0].isBlank() ? null : values[0].trim();
    }

    Outcome handle(ReceivedMails.Writer source, String messageId) {
        ReceivedMails.RawCopy raw = mails.copyRaw(source);
        String key = sha256(messageId != null ? "message-id:" + messageId : "raw:" + raw.sha256());
        MDC.put("mailKey", key.substring(0, 12));
        try {
            Outcome outcome = tx.execute(status -> {
                Optional<ReceivedMails.Handled> seen = mails.find(key);
                if (seen.isPresent()) {
                    ReceivedMails.Handled h = seen.get();
                    log.info("Mail {} was handled before ({} → {}): moved there again, no further effect",
                            messageId, h.outcome(), h.folder());
                    return new Outcome(h.outcome(), h.folder(), h.caseNo(), h.taskNo(), List.of(), true);
                }
                return firstTime(raw, key, messageId);
            });
            if (outcome.repeated()) {
                mails.discard(raw);
            }
            return outcome;
        } catch (RuntimeException e) {
            mails.discard(raw);
            throw e;
        } finally {
            MDC.remove("mailKey");
        }
    }

    private Outcome firstTime(ReceivedMails.RawCopy raw, String key, String messageId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String rawPath = mails.keepRaw(raw, key);
        MimeMessage message;
        try (InputStream in = new SharedFileInputStream(mails.openRawPath(rawPath).toFile())) {
            message = new MimeMessage(messages.session(), in);
            MailReading reading = reader.read(message);
            if (reading instanceof MailReading.Refused refused) {
                return quarantine(key, messageId, refused.sender().orElse(null), refused.subject().orElse(null), now,
                        List.of(refused.rejection()), rawPath, raw, null);
            }
            return judge(((MailReading.Read) reading).reply(), key, messageId, now, rawPath, raw);
        } catch (IOException | MessagingException e) {
            return quarantine(key, messageId, null, null, now,
                    List.of(Rejection.unreadable(e.getClass().getSimpleName() + ": " + e.getMessage())), rawPath, raw, null);
        }
    }

    private Outcome judge(UnitReply reply, String key, String messageId, OffsetDateTime now, String rawPath,
                          ReceivedMails.RawCopy raw) {
        TokenCheck token = tokens.check(reply.subject());
        if (!reply.isAutoReply() && token.isAuthentic() && token.token().get() instanceof TokenRef.ReturnVisit plan) {
            // a supply station's return-visit results (issue 6): recorded per case, or the whole mail quarantined
            ReturnVisitReplies.Result result = returnVisits.accept(reply, plan, key, now);
            if (!result.accepted()) {
                return quarantine(key, messageId, reply.sender(), reply.subject(), now, List.of(result.rejection()), rawPath, raw, null);
            }
            mails.insert(key, messageId, null, null, null, reply.sender(), reply.subject(), now, PROCESSED, processedFolder,
                    null, rawPath, raw);
            return new Outcome(PROCESSED, processedFolder, null, null, List.of(), false);
        }
        Verdict verdict = validator.validate(reply);
        if (verdict instanceof Verdict.Quarantined q) {
            return quarantine(key, messageId, reply.sender(), reply.subject(), now, q.reasons(), rawPath, raw, null);
        }
        Verdict.Accepted accepted = (Verdict.Accepted) verdict;
        TokenRef.Task task = accepted.token();
        ParsedReply parsed = accepted.parsed();
        Map<String, String> fields = new LinkedHashMap<>();
        parsed.fields().forEach((k, v) -> {
            if (k != ReplyKey.RESULT) {
                fields.put(k.name(), v);
            }
        });
        TaskResult result = TaskResult.valueOf(parsed.result().orElseThrow().name());
        Command.CompleteTask command = new Command.CompleteTask(now, Actor.UNIT, task.taskNo(), result, fields);
        // the reply and its files are kept before the workflow runs, in its transaction: a hand-off it opens (the
        // design review) refers to the files by id (issue 15)
        Optional<CaseRecord> known = cases.findByCaseNo(task.caseNo());
        Long mailId = null;
        if (known.isPresent()) {
            CaseRecord c = known.get();
            mailId = mails.insert(key, messageId, c.id(), c.caseNo(), task.taskNo(), reply.sender(), reply.subject(), now,
                    PROCESSED, processedFolder, null, rawPath, raw);
            int index = 1;
            for (MailAttachment attachment : reply.attachments()) {
                mails.keepAttachment(mailId, c.id(), c.caseNo(), key, index++, attachment);
            }
        }
        CommandResult applied = process.byCaseNo(task.caseNo(), command, new CaseProcess.Source(CONSUMER, key));
        if (applied instanceof CommandResult.Refused refused) {
            if (mailId != null) {
                mails.withdraw(mailId);
            }
            Rejection why = "UNKNOWN_CASE".equals(refused.code())
                    ? Rejection.unknownCase(task.caseNo(), task.taskNo())
                    : Rejection.refusedByWorkflow(task.caseNo(), task.taskNo(), refused.code(), refused.message());
            return quarantine(key, messageId, reply.sender(), reply.subject(), now, List.of(why), rawPath, raw, task);
        }
        CaseRecord c = known.orElseThrow();
        log.info("Reply from {} to {}/T{} ({}): {} with {} attachment(s)", reply.sender(), task.caseNo(), task.taskNo(),
                accepted.kind(), result, reply.attachments().size());
        return new Outcome(PROCESSED, processedFolder, c.caseNo(), task.taskNo(), List.of(), false);
    }

    private Outcome quarantine(String key, String messageId, String sender, String subject, OffsetDateTime now,
                               List<Rejection> reasons, String rawPath, ReceivedMails.RawCopy raw, TokenRef.Task known) {
        TokenRef.Task task = known;
        if (task == null && subject != null) {
            TokenCheck check = tokens.check(subject);
            if (check.isAuthentic() && check.token().get() instanceof TokenRef.Task t) {
                task = t;
            }
        }
        Optional<CaseRecord> c = task == null ? Optional.empty() : cases.findByCaseNo(task.caseNo());
        Long caseId = c.map(CaseRecord::id).orElse(null);
        String caseNo = c.map(CaseRecord::caseNo).orElse(null);
        Integer taskNo = c.isPresent() ? task.taskNo() : null;
        mails.insert(key, messageId, caseId, caseNo, taskNo, sender, subject, now, QUARANTINED, quarantineFolder,
                describe(reasons), rawPath, raw);
        boolean automatic = reasons.stream().anyMatch(r -> r.code() == RejectionCode.AUTO_REPLY);
        if (!automatic) {
            notices.notify(new QuarantineNotices.Quarantined(key, sender, subject, messageId, now, caseId, caseNo, taskNo,
                    quarantineFolder, reasons));
        }
        log.warn("Mail {} from {} quarantined{}: {}", messageId, sender, automatic ? " without notice" : "",
                reasons.stream().map(r -> r.code() + " " + r.messageEn()).toList());
        return new Outcome(QUARANTINED, quarantineFolder, caseNo, taskNo, reasons, false);
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
        return HexFormat.of().formatHex(ReceivedMails.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
