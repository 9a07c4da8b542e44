package cn.yekuo.hub.cases;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.domain.RepresentativeAssignment;
import cn.yekuo.hub.domain.workflow.Actor;

/**
 * One named representative per case (一口对外, issue 17): assigned when the application is taken on at intake
 * ({@link RepresentativeAssignment}), changed by a representative's {@code reassign}, each change on the case's
 * timeline; and the case's representative for its documents and notices ({@link #of(long)}, {@link #noticeAddress}).
 */
@Service
public class CaseAssignments {

    /** Timeline kinds. */
    public static final String ASSIGNED = "REPRESENTATIVE_ASSIGNED";
    public static final String REASSIGNED = "REPRESENTATIVE_REASSIGNED";

    private static final Logger log = LoggerFactory.getLogger(CaseAssignments.class);

    private final CaseStore cases;
    private final Roster roster;
    private final Clock clock;
    // not a route's transacted: a representative reassigns over HTTP; joins the intake's transaction at intake
    private final TransactionTemplate tx;

    public CaseAssignments(CaseStore cases, Roster roster, Clock clock, TransactionTemplate tx) {
        this.cases = cases;
        this.roster = roster;
        this.clock = clock;
        this.tx = tx;
    }

    public Roster roster() {
        return roster;
    }

    /**
     * Assigns a new case, in the caller's transaction (the intake's): the representative covering its station, the
     * least loaded by open cases among them (or among all when none covers it), ties by id.
     */
    public Roster.Representative assign(CaseRecord c) {
        Map<String, Integer> open = new HashMap<>(cases.openCasesPerRepresentative());
        Integer unassigned = open.remove(null);
        if (unassigned != null) {
            // cases with none count for the fallback, the first representative, whose cases they are (Roster#of)
            open.merge(roster.all().get(0).id(), unassigned, Integer::sum);
        }
        String id = RepresentativeAssignment.choose(c.supplyStation(), roster.candidates(), open);
        Roster.Representative rep = roster.of(id);
        OffsetDateTime now = OffsetDateTime.now(clock);
        cases.setRepresentative(c.id(), rep.id(), now);
        cases.appendTimeline(c.id(), now, Actor.SYSTEM.name(), ASSIGNED, c.stage(),
                "客户代表 " + rep.name() + " (" + rep.id() + ") 负责本案 (representative assigned)",
                "station " + c.supplyStation() + (rep.stations().contains(c.supplyStation()) ? " covered by " : " covered by none; least loaded: ")
                        + rep.id());
        log.info("Case {} (station {}) assigned to representative {}", c.caseNo(), c.supplyStation(), rep.id());
        return rep;
    }

    /** The outcome of a reassignment that was carried out. */
    public record Reassigned(String caseNo, Roster.Representative from, Roster.Representative to) {
    }

    /**
     * Gives the case to another representative, with the reason and the login who did it on the timeline. Empty
     * when the case is unknown; the caller has checked the representative id ({@link Roster#byId}).
     */
    public Optional<Reassigned> reassign(String caseNo, Roster.Representative to, String reason, String user) {
        return tx.execute(status -> {
            Optional<CaseRecord> found = cases.lockByCaseNo(caseNo);
            if (found.isEmpty()) {
                return Optional.<Reassigned>empty();
            }
            CaseRecord c = found.get();
            Roster.Representative from = roster.of(c.representativeId());
            OffsetDateTime now = OffsetDateTime.now(clock);
            cases.setRepresentative(c.id(), to.id(), now);
            cases.appendTimeline(c.id(), now, user, REASSIGNED, c.stage(),
                    "客户代表由 " + from.name() + " (" + from.id() + ") 改为 " + to.name() + " (" + to.id() + ") (representative reassigned)",
                    reason);
            log.info("User '{}' reassigned case {} from {} to {}: {}", user, caseNo, from.id(), to.id(), reason);
            return Optional.of(new Reassigned(caseNo, from, to));
        });
    }

    /** The case's representative (the roster's first for a case with none or an unknown case id). */
    public Roster.Representative of(long caseId) {
        return roster.of(cases.representativeIdOf(caseId).orElse(null));
    }

    /** The case's representative by case number (the roster's first for a case with none or an unknown case). */
    public Roster.Representative ofCase(String caseNo) {
        return roster.of(caseNo == null ? null : cases.findByCaseNo(caseNo).map(CaseRecord::representativeId).orElse(null));
    }

    /** Where a notice goes: to the case's representative, or to the shared mailbox for a notice of no case. */
    public String noticeAddress(Long caseId, String sharedMailbox) {
        return caseId == null ? sharedMailbox : of(caseId).email();
    }
}
