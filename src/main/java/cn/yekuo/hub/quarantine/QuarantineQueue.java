package cn.yekuo.hub.quarantine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.process.RepresentativePorts.Answer;
import cn.yekuo.hub.replies.ReceivedMails;
import cn.yekuo.hub.replies.UnitReplies;
import cn.yekuo.hub.replies.UnitReplyReader;
import cn.yekuo.hub.replies.grammar.RejectionCode;

/**
 * The quarantine queue (issue 21 item 4): every mail still in quarantine, with its reasons and the case it probably
 * belongs to, and the three things a representative does with one — release a checked reply ({@link ReplyReleases}:
 * re-validated, applied, the case advances), attach it to a case as correspondence, or discard it with a reason.
 * <p>
 * Each action locks the mail's row, so of two representatives acting at once one acts and the other is answered
 * {@link Status#CONFLICT}; a refused action changes nothing. What was done is written in the action's transaction to
 * {@code quarantine_log} (user, time, case, reason) and to the case's timeline where a case is known; afterwards the
 * message is moved on the IMAP server out of Quarantine: to Processed (released, attached) or to
 * {@code yk.mail.discarded-folder} (discarded: kept, never deleted, for an auditor). A move that fails leaves the
 * message where it is and says so; the action stands. The raw mail stays in the file store in every case.
 */
@Service
public class QuarantineQueue {

    private static final Logger log = LoggerFactory.getLogger(QuarantineQueue.class);

    public static final String ATTACHED = "ATTACHED";
    public static final String DISCARDED = "DISCARDED";
    /** The mails the queue shows at most (newest first); the count says how many there are in all. */
    public static final int SHOWN = 200;
    public static final int MAX_REASON = 500;
    public static final int MAX_NOTE = 500;

    /** How the probable case was found. */
    public enum Basis {
        /** the subject's authentic task token named it (the reader linked the mail to the case) */
        TOKEN,
        /** the mail answers a hand-off of the case (In-Reply-To or References hold the hand-off's Message-ID) */
        IN_REPLY_TO,
        /** the subject names a known case number (no valid token: a hint only) */
        SUBJECT
    }

    /**
     * Reasons for which a mail is no reply the hub can check again (not read whole, or no authentic token): a release
     * is refused without trying.
     */
    private static final Set<String> NOT_CHECKABLE = Set.of(RejectionCode.MAIL_TOO_LARGE.name(),
            RejectionCode.UNREADABLE.name(), RejectionCode.READ_TIMEOUT.name(), RejectionCode.PROCESSING_FAILED.name(),
            RejectionCode.NO_TOKEN.name(), RejectionCode.FORGED_TOKEN.name(), RejectionCode.SEVERAL_TOKENS.name());

    /**
     * Reasons a release can overcome, so the dashboard offers it: the checks a representative's release waives
     * (sender, its authentication, automatic reply) and the workflow's refusal (the case's state may have changed).
     * Every other reason is in the mail itself (a missing field, an attachment over the limit) and would refuse the
     * release again; such a mail is attached or discarded.
     */
    private static final Set<String> RELEASABLE = Set.of(RejectionCode.SENDER_NOT_ALLOWED.name(),
            RejectionCode.SENDER_NOT_AUTHENTICATED.name(), RejectionCode.AUTO_REPLY.name(),
            RejectionCode.REFUSED_BY_WORKFLOW.name());

    private static final Pattern HANDOFF_ID = Pattern.compile("<handoff-(YK-\\d{4}-\\d{6})-T(\\d+)@");
    private static final Pattern CASE_NO = Pattern.compile("YK-\\d{4}-\\d{6}");
    /** Raw mails kept in the database are read for their headers only when no bigger than this. */
    private static final long MAX_HEADER_READ = 2L * 1024 * 1024;

    public record Reason(String code, String titleZh, String titleEn, String zh, String en) {
    }

    /** One quarantined mail; {@code caseNo} null: the hub cannot tell which case it belongs to. */
    public record Item(long id, OffsetDateTime receivedAt, String sender, String subject, List<Reason> reasons,
                       String caseNo, Basis caseBasis, Integer taskNo, boolean releasable, String folder) {
    }

    /** {@code total} mails in quarantine, the newest {@code items.size()} of them listed. */
    public record Queue(int total, List<Item> items) {
    }

    public enum Status { DONE, INVALID, NOT_FOUND, CONFLICT }

    /** How an action ended; {@code field} names the invalid input. */
    public record Result(Status status, String field, String message, String caseNo) {
        static Result done(String message, String caseNo) {
            return new Result(Status.DONE, null, message, caseNo);
        }

        static Result invalid(String field, String message) {
            return new Result(Status.INVALID, field, field + ": " + message, null);
        }

        static Result notFound(long id) {
            return new Result(Status.NOT_FOUND, null, "no mail " + id + " was ever quarantined", null);
        }

        static Result conflict(String message) {
            return new Result(Status.CONFLICT, null, message, null);
        }
    }

    private static final TypeReference<List<Map<String, String>>> REASONS = new TypeReference<>() { };

    private final QuarantinedMails mails;
    private final QuarantineLog audit;
    private final ReplyReleases releases;
    private final QuarantineFolders folders;
    private final ReceivedMails received;
    private final CaseStore cases;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final java.time.ZoneId zone;

    public QuarantineQueue(QuarantinedMails mails, QuarantineLog audit, ReplyReleases releases, QuarantineFolders folders,
                           ReceivedMails received, CaseStore cases, TransactionTemplate tx, Clock clock,
                           cn.yekuo.hub.config.HubProperties hub) {
        this.zone = hub.businessZone();
        this.mails = mails;
        this.audit = audit;
        this.releases = releases;
        this.folders = folders;
        this.received = received;
        this.cases = cases;
        this.tx = tx;
        this.clock = clock;
    }

    /** Whether a unit_mail outcome means a representative took the mail out of quarantine. */
    public static boolean settled(String outcome) {
        return ReplyReleases.RELEASED.equals(outcome) || ATTACHED.equals(outcome) || DISCARDED.equals(outcome);
    }

    /** How many mails wait in quarantine (the dashboard's navigation shows it). */
    public int waiting() {
        return mails.count();
    }

    public Queue list() {
        int total = mails.count();
        List<Item> items = new ArrayList<>();
        for (QuarantinedMails.Row row : mails.newest(SHOWN)) {
            items.add(item(row));
        }
        return new Queue(Math.max(total, items.size()), items);
    }

    public Optional<Item> find(long id) {
        return mails.find(id).filter(r -> UnitReplies.QUARANTINED.equals(r.outcome())).map(this::item);
    }

    /** What representatives did with the mail, times in the business zone. */
    public List<QuarantineLog.Entry> history(long id) {
        return audit.ofMail(id).stream().map(e -> new QuarantineLog.Entry(e.id(), e.mailId(), e.action(), e.user(),
                local(e.at()), e.caseNo(), e.reason(), e.result())).toList();
    }

    private OffsetDateTime local(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(zone).toOffsetDateTime();
    }

    // ------------------------------------------------------------------ actions

    /** Releases a quarantined reply through {@link ReplyReleases}: re-validated, applied, moved to Processed. */
    public Result release(long id, String user) {
        QuarantinedMails.Row row = mails.find(id).orElse(null);
        if (row == null) {
            return Result.notFound(id);
        }
        if (!UnitReplies.QUARANTINED.equals(row.outcome())) {
            return Result.conflict(gone(row));
        }
        Item item = item(row);
        if (item.caseBasis() != Basis.TOKEN || item.taskNo() == null
                || item.reasons().stream().anyMatch(r -> NOT_CHECKABLE.contains(r.code()))) {
            return Result.conflict("mail " + id + " is not a reply the hub can check again ("
                    + (item.caseBasis() != Basis.TOKEN ? "no authentic task token names its case"
                    : String.join(", ", item.reasons().stream().map(Reason::code).toList()))
                    + "): attach it to a case or discard it");
        }
        Answer answer = releases.release(row.caseNo(), id, user);
        return switch (answer.status()) {
            case DONE -> Result.done(answer.message(), row.caseNo());
            case CONFLICT -> Result.conflict(answer.message());
            // the row changed under us (another action settled it meanwhile): a conflict, not a missing mail
            case NOT_FOUND -> mails.find(id).filter(r -> !UnitReplies.QUARANTINED.equals(r.outcome()))
                    .map(r -> Result.conflict(gone(r))).orElse(new Result(Status.NOT_FOUND, null, answer.message(), null));
        };
    }

    /** Keeps the mail as correspondence of case {@code caseNo} (its timeline says so) and moves it to Processed. */
    public Result attach(long id, String caseNo, String note, String user) {
        String number = caseNo == null ? "" : caseNo.strip().toUpperCase(Locale.ROOT);
        if (number.isEmpty()) {
            return Result.invalid("caseNo", "is required");
        }
        if (!CASE_NO.matcher(number).matches()) {
            return Result.invalid("caseNo", "must be a case number like YK-2026-000001");
        }
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.codePointCount(0, text.length()) > MAX_NOTE) {
            return Result.invalid("note", "must be at most " + MAX_NOTE + " characters");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        Settled settled = tx.execute(status -> {
            Settled s = attachInTransaction(id, number, text, user, now);
            if (s.result().status() != Status.DONE) {
                status.setRollbackOnly();
            }
            return s;
        });
        if (settled.result().status() != Status.DONE) {
            return settled.result();
        }
        String moved = moveOut(settled.row(), folders.processed(), number, user, "attached");
        return Result.done(settled.result().message() + moved, number);
    }

    /** Discards the mail with a reason (required): kept in the file store and in the discarded folder, never deleted. */
    public Result discard(long id, String reason, String user) {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            return Result.invalid("reason", "is required");
        }
        if (text.codePointCount(0, text.length()) > MAX_REASON) {
            return Result.invalid("reason", "must be at most " + MAX_REASON + " characters");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        Settled settled = tx.execute(status -> {
            Settled s = discardInTransaction(id, text, user, now);
            if (s.result().status() != Status.DONE) {
                status.setRollbackOnly();
            }
            return s;
        });
        if (settled.result().status() != Status.DONE) {
            return settled.result();
        }
        String moved = moveOut(settled.row(), folders.discarded(), settled.row().caseNo(), user, "discarded");
        return Result.done(settled.result().message() + moved, settled.row().caseNo());
    }

    private record Settled(Result result, QuarantinedMails.Row row) {
    }

    private Settled attachInTransaction(long id, String caseNo, String note, String user, OffsetDateTime now) {
        QuarantinedMails.Row row = mails.lock(id).orElse(null);
        if (row == null) {
            return new Settled(Result.notFound(id), null);
        }
        if (!UnitReplies.QUARANTINED.equals(row.outcome())) {
            return new Settled(Result.conflict(gone(row)), null);
        }
        CaseRecord c = cases.findByCaseNo(caseNo).orElse(null);
        if (c == null) {
            return new Settled(Result.invalid("caseNo", "case " + caseNo + " is not known to the hub"), null);
        }
        // correspondence, not an answer: the task the token named (of this or another case) no longer counts
        mails.settle(id, ATTACHED, c.id(), c.caseNo(), null);
        String subject = oneLine(UnitReplyReader.quoted(row.subject()));
        cases.appendTimeline(c.id(), now, user, "MAIL_ATTACHED", c.stage(),
                "隔离邮件作为往来函件归入本案（" + user + "）：发件人 " + dash(row.sender()) + "，主题“" + subject + "”"
                        + (note == null ? "" : "；说明：" + note)
                        + " / quarantined mail attached as correspondence by " + user,
                "mail " + id + " " + dash(row.messageId()) + (row.caseNo() != null && !row.caseNo().equals(c.caseNo())
                        ? "; its token named case " + row.caseNo() : ""));
        audit.record(id, QuarantineLog.ATTACH, user, now, c.caseNo(), note, "attached to " + c.caseNo());
        log.info("Quarantined mail {} ({}) attached to case {} by '{}'", id, row.messageId(), c.caseNo(), user);
        return new Settled(Result.done("mail " + id + " attached to case " + c.caseNo() + " by " + user, c.caseNo()), row);
    }

    private Settled discardInTransaction(long id, String reason, String user, OffsetDateTime now) {
        QuarantinedMails.Row row = mails.lock(id).orElse(null);
        if (row == null) {
            return new Settled(Result.notFound(id), null);
        }
        if (!UnitReplies.QUARANTINED.equals(row.outcome())) {
            return new Settled(Result.conflict(gone(row)), null);
        }
        mails.settle(id, DISCARDED, row.caseId(), row.caseNo(), row.taskNo());
        if (row.caseId() != null) {
            cases.findByCaseNo(row.caseNo()).ifPresent(c -> cases.appendTimeline(c.id(), now, user, "MAIL_DISCARDED",
                    c.stage(), "隔离邮件已作废（" + user + "）：发件人 " + dash(row.sender()) + "，原因：" + reason
                            + " / quarantined mail discarded by " + user,
                    "mail " + id + " " + dash(row.messageId())));
        }
        audit.record(id, QuarantineLog.DISCARD, user, now, row.caseNo(), reason, "discarded");
        log.info("Quarantined mail {} ({}) discarded by '{}': {}", id, row.messageId(), user, reason);
        return new Settled(Result.done("mail " + id + " discarded by " + user, row.caseNo()), row);
    }

    /** Moves the settled mail out of Quarantine; a failure is logged and noted on the case, the action stands. */
    private String moveOut(QuarantinedMails.Row row, String to, String caseNo, String user, String what) {
        String from = folders.quarantine();
        String problem;
        try {
            if (folders.move(row.messageId(), from, to) > 0) {
                mails.movedTo(row.id(), to);
                return "; moved from " + from + " to " + to;
            }
            problem = row.messageId() == null ? "the mail has no Message-ID to find it by"
                    : "no message " + row.messageId() + " in folder " + from;
        } catch (MessagingException | RuntimeException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        log.warn("The {} mail {} ({}) stays in {}: {}", what, row.id(), row.messageId(), from, problem);
        String note = problem;
        if (caseNo != null) {
            cases.findByCaseNo(caseNo).ifPresent(c -> cases.appendTimeline(c.id(), OffsetDateTime.now(clock),
                    Actor.SYSTEM.name(), "QUARANTINED_MAIL_NOT_MOVED", c.stage(),
                    "邮件未能从“" + from + "”移至“" + to + "”，请在邮箱中手工移动 / the " + what + " mail could not be moved to "
                            + to + " (" + what + " by " + user + ")", note));
        }
        return "; the mail could not be moved from " + from + " to " + to + " and stays there (" + problem + ")";
    }

    private String gone(QuarantinedMails.Row row) {
        return "mail " + row.id() + " was already " + row.outcome().toLowerCase(Locale.ROOT)
                + audit.lastAction(row.id()).map(a -> " by " + a).orElse("") + ": it is no longer in quarantine";
    }

    // ------------------------------------------------------------------ reading a row

    private Item item(QuarantinedMails.Row row) {
        List<Reason> reasons = reasons(row.reasons());
        String caseNo = null;
        Basis basis = null;
        if (row.caseNo() != null) {
            caseNo = row.caseNo();
            basis = Basis.TOKEN;
        } else {
            Optional<String> answered = answeredHandoff(row).filter(n -> cases.findByCaseNo(n).isPresent());
            if (answered.isPresent()) {
                caseNo = answered.get();
                basis = Basis.IN_REPLY_TO;
            } else if (row.subject() != null) {
                Matcher m = CASE_NO.matcher(row.subject());
                while (m.find()) {
                    if (cases.findByCaseNo(m.group()).isPresent()) {
                        caseNo = m.group();
                        basis = Basis.SUBJECT;
                        break;
                    }
                }
            }
        }
        boolean releasable = basis == Basis.TOKEN && row.taskNo() != null && !reasons.isEmpty()
                && reasons.stream().allMatch(r -> RELEASABLE.contains(r.code()));
        return new Item(row.id(), local(row.receivedAt()), row.sender(), row.subject(), reasons, caseNo, basis,
                basis == Basis.TOKEN ? row.taskNo() : null, releasable, row.folder());
    }

    private List<Reason> reasons(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        try {
            List<Reason> out = new ArrayList<>();
            for (Map<String, String> r : json.readValue(text, REASONS)) {
                String code = r.get("code");
                RejectionCode known = null;
                try {
                    known = code == null ? null : RejectionCode.valueOf(code);
                } catch (IllegalArgumentException e) {
                    known = null; // a code of a later version: shown as it is
                }
                out.add(new Reason(code, known == null ? code : known.titleZh(), known == null ? code : known.titleEn(),
                        r.get("zh"), r.get("en")));
            }
            return out;
        } catch (IOException e) {
            return List.of(new Reason("UNREADABLE", RejectionCode.UNREADABLE.titleZh(), RejectionCode.UNREADABLE.titleEn(),
                    text, text));
        }
    }

    /** The case of the hand-off this mail answers, from its In-Reply-To and References headers (the kept raw mail). */
    private Optional<String> answeredHandoff(QuarantinedMails.Row row) {
        try {
            InternetHeaders headers;
            Optional<Path> onDisk = received.rawOnDisk(row.rawPath());
            if (onDisk.isPresent()) {
                if (!Files.exists(onDisk.get())) {
                    return Optional.empty();
                }
                try (InputStream in = Files.newInputStream(onDisk.get())) {
                    headers = new InternetHeaders(in);
                }
            } else {
                if (row.rawSize() > MAX_HEADER_READ) {
                    return Optional.empty();
                }
                headers = new InternetHeaders(new ByteArrayInputStream(received.readRaw(row.rawPath())));
            }
            for (String name : List.of("In-Reply-To", "References")) {
                String[] values = headers.getHeader(name);
                if (values == null) {
                    continue;
                }
                for (String v : values) {
                    Matcher m = HANDOFF_ID.matcher(v);
                    if (m.find()) {
                        return Optional.of(m.group(1));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | MessagingException | RuntimeException e) {
            log.debug("Headers of quarantined mail {} not readable: {}", row.id(), e.toString());
            return Optional.empty();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "-" : s.replaceAll("[\\r\\n]+", " ");
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
