package cn.yekuo.hub.status;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.documents.CaseDocuments;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.queries.CaseQueries;

/**
 * What the customer's status page shows of one case, and nothing else: its stages passed, current and to come, the
 * running step with its due date and who waits on whom, the representative's contact and the documents issued.
 * No reply text, no timeline details, no internal notes. A token is honoured until the case's closing time plus
 * {@code yk.status.valid-after-close}, decided here at every request.
 */
@Service
public class StatusPages {

    /** The usual path of a case; {@code AWAITING_MATERIALS} shows only where the case went through it. */
    static final List<Stage> PATH = List.of(Stage.RECEIVED, Stage.ACCEPTED, Stage.SCHEME, Stage.DESIGN, Stage.CONSTRUCTION,
            Stage.ACCEPTANCE, Stage.CONTRACT, Stage.ENERGIZATION, Stage.ENERGIZED, Stage.CLOSED);

    private final StatusToken tokens;
    private final CaseQueries queries;
    private final ObjectProvider<CaseDocuments> documents;
    private final Roster roster;
    private final HubProperties hub;
    private final Clock clock;

    public StatusPages(StatusToken tokens, CaseQueries queries, ObjectProvider<CaseDocuments> documents, Roster roster,
                       HubProperties hub, Clock clock) {
        this.tokens = tokens;
        this.queries = queries;
        this.documents = documents;
        this.roster = roster;
        this.hub = hub;
        this.clock = clock;
    }

    /** One stage of the path: {@code done}, {@code current} or {@code next}, with when the case reached it. */
    public record Step(Stage stage, String state, OffsetDateTime reachedAt) {
    }

    /** The running step: its timed node (may be null), open tasks' titles, due date, and who waits on whom. */
    public record Current(String nodeKey, List<Title> tasks, OffsetDateTime dueAt, String dueStatus,
                          boolean waitingForCustomer, OffsetDateTime waitingSince, List<String> waitsOn) {
    }

    /** An open task's title in both languages (the page shows what is being done, not the reply). */
    public record Title(String zh, String en) {
    }

    public record Contact(String name, String phone, String email) {
    }

    public record Document(long id, String title, OffsetDateTime issuedAt) {
    }

    public record View(String token, String caseNo, String customerName, String serviceType, Stage stage, boolean ended,
                       List<Step> steps, Current current, Contact representative, List<Document> documents, ZoneId zone) {
    }

    /** The page of an authentic, unexpired token; empty for every other token (the caller answers 404 alike). */
    public Optional<View> view(String token) {
        return detail(token).map(d -> view(token, d));
    }

    /** A document of the token's case only, while the token is honoured. */
    public Optional<CaseDocuments.DocumentFile> document(String token, long documentId) {
        CaseDocuments docs = documents.getIfAvailable();
        return docs == null ? Optional.empty()
                : detail(token).flatMap(d -> docs.open(d.record().caseNo(), documentId));
    }

    private Optional<CaseQueries.CaseDetail> detail(String token) {
        return tokens.caseNoOf(token).flatMap(queries::detail).filter(this::honoured);
    }

    /** Open cases always; a case in a final stage until its closing time plus the configured period (inclusive). */
    boolean honoured(CaseQueries.CaseDetail d) {
        if (!d.stage().isFinal()) {
            return true;
        }
        return !expired(closedAt(d), hub.status().validAfterClose(), OffsetDateTime.now(clock));
    }

    /** A link of a case closed at {@code closedAt} is expired strictly after {@code closedAt + validAfterClose}. */
    static boolean expired(OffsetDateTime closedAt, java.time.Duration validAfterClose, OffsetDateTime now) {
        return now.isAfter(closedAt.plus(validAfterClose));
    }

    /** When the case reached its final stage: its first timeline entry in that stage (else its last entry). */
    static OffsetDateTime closedAt(CaseQueries.CaseDetail d) {
        String stage = d.stage().name();
        return d.timeline().stream().filter(t -> stage.equals(t.stage())).map(CaseQueries.TimelineView::at)
                .min(OffsetDateTime::compareTo)
                .or(() -> d.timeline().stream().map(CaseQueries.TimelineView::at).max(OffsetDateTime::compareTo))
                .orElse(d.record().submittedAt());
    }

    private View view(String token, CaseQueries.CaseDetail d) {
        var c = d.record();
        Roster.Representative rep = roster.of(c.representativeId());
        List<Document> docs = new ArrayList<>();
        CaseDocuments archive = documents.getIfAvailable();
        if (archive != null) {
            archive.ofCase(c.caseNo()).forEach(x -> docs.add(new Document(x.id(), x.title(), local(x.createdAt()))));
        }
        Current current = null;
        if (!d.stage().isFinal()) {
            var node = d.currentNode();
            List<Title> tasks = d.tasks().stream().filter(t -> "OPEN".equals(t.status()))
                    .map(t -> new Title(t.titleZh(), t.titleEn())).distinct().toList();
            current = new Current(node == null ? null : node.node().name(), tasks,
                    node == null || d.customerWait() != null ? null : local(node.dueAt()),
                    node == null ? "NONE" : node.dueStatus().name(), d.customerWait() != null,
                    d.customerWait() == null ? null : local(d.customerWait().since()), d.waitsOn());
        }
        return new View(token, c.caseNo(), c.customer().name(), c.serviceType(), d.stage(), d.stage().isFinal(), steps(d),
                current, new Contact(rep.name(), rep.phone(), rep.email()), docs, queries.zone());
    }

    /** The stages reached, in the order reached, then the rest of the usual path (none after a side exit). */
    static List<Step> steps(CaseQueries.CaseDetail d) {
        Map<Stage, OffsetDateTime> reached = new LinkedHashMap<>();
        for (CaseQueries.TimelineView t : d.timeline()) {
            Stage s = stage(t.stage());
            if (s != null && !reached.containsKey(s)) {
                reached.put(s, t.at());
            }
        }
        reached.putIfAbsent(d.stage(), null);
        List<Step> steps = new ArrayList<>();
        reached.forEach((s, at) -> {
            if (s != d.stage()) {
                steps.add(new Step(s, "done", at));
            }
        });
        boolean closed = d.stage() == Stage.CLOSED;
        steps.add(new Step(d.stage(), closed ? "done" : "current", reached.get(d.stage())));
        int at = PATH.indexOf(d.stage() == Stage.AWAITING_MATERIALS ? Stage.RECEIVED : d.stage());
        if (at >= 0) {
            PATH.subList(at + 1, PATH.size()).stream().filter(s -> !reached.containsKey(s))
                    .forEach(s -> steps.add(new Step(s, "next", null)));
        }
        return steps;
    }

    private static Stage stage(String name) {
        try {
            return name == null ? null : Stage.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private OffsetDateTime local(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(queries.zone()).toOffsetDateTime();
    }
}
