package cn.yekuo.hub.quarantine;

import cn.yekuo.hub.mailtransport.FileDigests;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.metrics.BusinessCounters;
import cn.yekuo.hub.replies.MailReading;
import cn.yekuo.hub.replies.ReceivedMails;
import cn.yekuo.hub.replies.ReceivedMails.KeptMail;
import cn.yekuo.hub.replies.ReplyValidator;
import cn.yekuo.hub.replies.StoreTaskDirectory;
import cn.yekuo.hub.replies.UnitReplies;
import cn.yekuo.hub.replies.UnitReply;
import cn.yekuo.hub.replies.UnitReplyReader;
import cn.yekuo.hub.replies.Verdict;
import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.tokens.HandoffToken;
import cn.yekuo.hub.tokens.TokenRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.process.RepresentativePorts.Answer;
import cn.yekuo.hub.process.RepresentativePorts.ReplyRelease;

/**
 * A representative releases a quarantined reply after checking it: the kept raw mail is read again and validated
 * with the sender allow-list and the automatic-reply check waived (the representative vouches for the sender), the
 * token, case, open task, result and required fields still checked; the task is then completed through
 * {@link CaseProcess} as the unit's answer (same idempotency key as the mail route: the hash of the Message-ID),
 * with a timeline note naming the user. The {@code unit_mail} row becomes {@value #RELEASED}; the message is moved
 * on the IMAP server from Quarantine to Processed after the commit — when that move fails the mail stays in
 * Quarantine, and the row and the timeline say so.
 */
@Component
public class ReplyReleases implements ReplyRelease {

    public static final String RELEASED = "RELEASED";

    private static final Logger log = LoggerFactory.getLogger(ReplyReleases.class);

    private final UnitReplyReader reader;
    private final ReplyValidator validator;
    private final CaseProcess process;
    private final CaseStore cases;
    private final ReceivedMails mails;
    private final MailMessages messages;
    // not a route's transacted: a representative releases a reply over HTTP, no route runs it
    private final TransactionTemplate tx;
    private final Clock clock;
    private final QuarantineFolders folders;
    private final QuarantineLog audit;
    private final BusinessCounters counters;

    public ReplyReleases(UnitReplyReader reader, HandoffToken tokens, StoreTaskDirectory directory,
                         CaseProcess process, CaseStore cases, ReceivedMails mails, MailMessages messages,
                         TransactionTemplate tx, Clock clock, QuarantineFolders folders, QuarantineLog audit,
                         BusinessCounters counters) {
        this.counters = counters;
        this.folders = folders;
        this.audit = audit;
        this.reader = reader;
        this.validator = new ReplyValidator(tokens, directory);
        this.process = process;
        this.cases = cases;
        this.mails = mails;
        this.messages = messages;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public Answer release(String caseNo, long mailId, String user) {
        Released released = tx.execute(status -> {
            Released r = releaseInTransaction(caseNo, mailId, user);
            if (r.answer().status() != Answer.Status.DONE) {
                status.setRollbackOnly(); // a refused release leaves the mail as it was (its files were kept first)
            }
            return r;
        });
        if (released.answer().status() != Answer.Status.DONE) {
            return released.answer();
        }
        String moved = moveToProcessed(released.row(), caseNo, user);
        return Answer.done(released.answer().message() + moved);
    }

    private record Released(Answer answer, KeptMail row) {
    }

    private Released releaseInTransaction(String caseNo, long mailId, String user) {
        // the row lock serialises two representatives releasing the same mail at once
        KeptMail row = mails.lock(mailId).orElse(null);
        if (row == null || !caseNo.equals(row.caseNo())) {
            return refuse(Answer.Status.NOT_FOUND, "mail " + mailId + " is not a mail of case " + caseNo);
        }
        if (RELEASED.equals(row.outcome())) {
            return refuse(Answer.Status.CONFLICT, "mail " + mailId + " was already released");
        }
        if (QuarantineQueue.settled(row.outcome())) {
            return refuse(Answer.Status.CONFLICT, "mail " + mailId + " was already "
                    + row.outcome().toLowerCase(java.util.Locale.ROOT) + audit.lastAction(mailId).map(a -> " by " + a).orElse("")
                    + ": it is no longer in quarantine");
        }
        if (!UnitReplies.QUARANTINED.equals(row.outcome())) {
            return refuse(Answer.Status.NOT_FOUND, "mail " + mailId + " of case " + caseNo + " is not quarantined ("
                    + row.outcome() + ")");
        }
        MimeMessage message;
        try {
            message = readRaw(row);
        } catch (IOException | MessagingException e) {
            return refuse(Answer.Status.CONFLICT, "the kept copy of mail " + mailId + " cannot be used: " + e.getMessage());
        }
        MailReading reading = reader.read(message);
        if (reading instanceof MailReading.Refused refused) {
            return refuse(Answer.Status.CONFLICT, cannotUse(mailId, List.of(refused.rejection())));
        }
        UnitReply reply = ((MailReading.Read) reading).reply();
        Verdict verdict = validator.validateVouched(reply);
        if (verdict instanceof Verdict.Quarantined q) {
            return refuse(Answer.Status.CONFLICT, cannotUse(mailId, q.reasons()));
        }
        Verdict.Accepted accepted = (Verdict.Accepted) verdict;
        TokenRef.Task task = accepted.token();
        if (!caseNo.equals(task.caseNo())) {
            return refuse(Answer.Status.CONFLICT, "mail " + mailId + " answers case " + task.caseNo() + ", not " + caseNo);
        }
        ParsedReply parsed = accepted.parsed();
        Map<String, String> fields = new LinkedHashMap<>();
        parsed.fields().forEach((k, v) -> {
            if (k != ReplyKey.RESULT) {
                fields.put(k.name(), v);
            }
        });
        TaskResult result = TaskResult.valueOf(parsed.result().orElseThrow().name());
        OffsetDateTime now = OffsetDateTime.now(clock);
        // the files are kept before the workflow runs, in its transaction: a hand-off it opens refers to them by id;
        // a refusal below returns before anything else and the caller's transaction is rolled back with it
        CaseRecord known = cases.findByCaseNo(caseNo).orElseThrow();
        int index = 1;
        for (MailAttachment attachment : reply.attachments()) {
            mails.keepAttachment(row.id(), known.id(), known.caseNo(), row.mailKey(), index++, attachment);
        }
        mails.outcome(row.id(), RELEASED, task.taskNo());
        CommandResult applied = process.byCaseNo(caseNo,
                new Command.CompleteTask(now, Actor.UNIT, task.taskNo(), result, fields),
                new CaseProcess.Source(UnitReplies.CONSUMER, row.mailKey()));
        if (applied instanceof CommandResult.Duplicate) {
            return refuse(Answer.Status.CONFLICT, "mail " + mailId + " was already released");
        }
        if (applied instanceof CommandResult.Refused refused) {
            Rejection why = Rejection.refusedByWorkflow(caseNo, task.taskNo(), refused.code(), refused.message());
            return refuse(Answer.Status.CONFLICT, cannotUse(mailId, List.of(why)));
        }
        CaseRecord c = cases.findByCaseNo(caseNo).orElseThrow();
        cases.appendTimeline(c.id(), now, user, "REPLY_RELEASED", c.stage(),
                "隔离的单位答复经核对后放行（" + user + "）：T" + task.taskNo() + " " + result + "，发件人 " + reply.sender()
                        + " / released by " + user + " after checking",
                "mail " + mailId + " " + row.messageId());
        audit.record(mailId, QuarantineLog.RELEASE, user, now, caseNo, null, "T" + task.taskNo() + " " + result);
        // applied as the unit's answer, like one read from the mailbox (counted after the commit)
        counters.replyProcessed(accepted.kind().unit().code());
        log.info("Quarantined mail {} ({}) of case {} released by '{}': T{} {}", mailId, row.messageId(), caseNo, user,
                task.taskNo(), result);
        return new Released(Answer.done("mail " + mailId + " released by " + user + ": T" + task.taskNo() + " " + result), row);
    }

    private static Released refuse(Answer.Status status, String message) {
        return new Released(new Answer(status, message), null);
    }

    private static String cannotUse(long mailId, List<Rejection> reasons) {
        List<String> texts = new ArrayList<>();
        for (Rejection r : reasons) {
            texts.add("[" + r.code().name() + "] " + r.messageEn());
        }
        return "mail " + mailId + " still cannot be used: " + String.join("; ", texts);
    }

    /** The kept raw mail, verified against the SHA-256 recorded when it was received. */
    private MimeMessage readRaw(KeptMail row) throws IOException, MessagingException {
        Path file = mails.rawOnDisk(row.rawPath()).orElse(null);
        if (file == null) {
            // the database store: the mail's bytes once in memory, checked, and parsed without another copy
            byte[] bytes;
            try {
                bytes = mails.readRaw(row.rawPath());
            } catch (NoSuchFileException e) {
                throw new IOException("the raw mail " + row.rawPath() + " is missing", e);
            }
            try {
                FileDigests.checked(bytes, row.rawSha256(), "the raw mail " + row.rawPath());
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            return new MimeMessage(messages.session(), new jakarta.mail.util.SharedByteArrayInputStream(bytes));
        }
        MessageDigest digest = FileDigests.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw new IOException("the raw mail " + row.rawPath() + " is missing", e);
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (!sha.equals(row.rawSha256())) {
            throw new IOException("the raw mail " + row.rawPath() + " changed: SHA-256 " + sha + ", recorded " + row.rawSha256());
        }
        try (InputStream in = new SharedFileInputStream(file.toFile())) {
            return new MimeMessage(messages.session(), in);
        }
    }

    /**
     * Moves the released message from Quarantine to Processed on the IMAP server. A failure leaves it where it is:
     * the row keeps folder Quarantine and the timeline says why; the release itself stands.
     *
     * @return a sentence for the answer
     */
    private String moveToProcessed(KeptMail row, String caseNo, String user) {
        String quarantine = folders.quarantine();
        String processed = folders.processed();
        String problem;
        try {
            int moved = folders.move(row.messageId(), quarantine, processed);
            if (moved > 0) {
                mails.movedTo(row.id(), processed);
                return "; moved from " + quarantine + " to " + processed;
            }
            problem = row.messageId() == null ? "the mail has no Message-ID to find it by"
                    : "no message " + row.messageId() + " in folder " + quarantine;
        } catch (MessagingException | RuntimeException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        log.warn("Released mail {} ({}) of case {} stays in {}: {}", row.id(), row.messageId(), caseNo, quarantine, problem);
        String note = problem;
        cases.findByCaseNo(caseNo).ifPresent(c -> cases.appendTimeline(c.id(), OffsetDateTime.now(clock),
                Actor.SYSTEM.name(), "RELEASED_MAIL_NOT_MOVED", c.stage(),
                "放行的邮件未能从“" + quarantine + "”移至“" + processed + "”，请在邮箱中手工移动 / the released mail "
                        + "could not be moved to " + processed + " (released by " + user + ")",
                note));
        return "; the mail could not be moved from " + quarantine + " to " + processed + " and stays there (" + problem + ")";
    }
}
