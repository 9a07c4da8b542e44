package cn.yekuo.hub.process;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.Effect;
import cn.yekuo.hub.domain.workflow.Outcome.Transition;
import cn.yekuo.hub.outbox.Outbox;

/**
 * Writes what a transition means, inside the caller's transaction: the case and its snapshot, tasks, clocks,
 * the timeline, the CaseStatusChanged messages for billing, and then whatever the feature handlers add. Nothing
 * leaves the hub before commit (outbox).
 */
@Component
public class EffectRecorder {

    private final CaseStore cases;
    private final CaseTasks tasks;
    private final TimedNodes nodes;
    private final CaseStates states;
    private final Outbox outbox;
    private final StatusAnnouncements status;
    private final ObjectProvider<CaseEffectHandler> handlers;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final java.time.ZoneId zone;

    public EffectRecorder(CaseStore cases, CaseTasks tasks, TimedNodes nodes, CaseStates states, Outbox outbox,
                          StatusAnnouncements status, ObjectProvider<CaseEffectHandler> handlers, ApplicationEventPublisher events,
                          Clock clock, HubProperties hub) {
        this.cases = cases;
        this.tasks = tasks;
        this.nodes = nodes;
        this.states = states;
        this.outbox = outbox;
        this.status = status;
        this.handlers = handlers;
        this.events = events;
        this.clock = clock;
        this.zone = hub.businessZone();
    }

    public CaseContext record(CaseRecord c, Stage stageBefore, OffsetDateTime waitingSince, Transition t, String actor) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        CaseState state = t.next();
        OffsetDateTime acceptedAt = c.acceptedAt();
        Stage stage = stageBefore;
        OffsetDateTime waiting = waitingSince;
        List<Effect.StageChanged> stageChanges = new ArrayList<>();
        List<Effect> waitChanges = new ArrayList<>();
        List<Integer> opened = new ArrayList<>();
        // the transition's timeline rows and status messages, written in one batch each once the effects are applied
        Writes writes = new Writes();

        for (Effect effect : t.effects()) {
            if (effect instanceof Effect.StageChanged sc) {
                stageChanges.add(sc);
                stage = sc.to();
                if (sc.to() == Stage.ACCEPTED && acceptedAt == null) {
                    acceptedAt = sc.at();
                }
            } else if (effect instanceof Effect.TaskOpened o) {
                tasks.open(c.id(), o.task(), stage);
                opened.add(o.task().no());
            } else if (effect instanceof Effect.TaskClosed closed) {
                tasks.close(c.id(), closed.task());
            } else if (effect instanceof Effect.TaskCancelled cancelled) {
                tasks.close(c.id(), cancelled.task());
            } else if (effect instanceof Effect.NodeStarted ns) {
                nodes.start(c.id(), ns.node(), ns.responsibleUnits(), ns.at(), state.powerSources(),
                        businessDate(acceptedAt == null ? ns.at() : acceptedAt), waiting);
            } else if (effect instanceof Effect.NodeCompleted nc) {
                List<String> withdrawn = nodes.complete(c.id(), nc.node(), nc.at());
                if (!withdrawn.isEmpty()) {
                    writes.timeline.add(new CaseStore.NewTimelineEntry(c.id(), nc.at(), now, Actor.SYSTEM.name(), "CHARGE_WITHDRAWN", stage,
                            "考核撤销：" + nc.node().chinese() + "的答复在时限内送达（读取在后），撤销对 " + String.join("、", withdrawn)
                                    + " 的扣分 / Charge withdrawn: the answer to " + nc.node() + " arrived in time (it was read"
                                    + " after the due date); " + String.join(", ", withdrawn) + " not charged", null));
                }
            } else if (effect instanceof Effect.NodeCancelled nc) {
                nodes.cancel(c.id(), nc.node(), nc.at());
            } else if (effect instanceof Effect.CustomerWaitStarted w) {
                nodes.pause(c.id(), w.at());
                waiting = w.at();
                waitChanges.add(w);
            } else if (effect instanceof Effect.CustomerWaitEnded w) {
                nodes.resume(c.id(), w.at());
                waiting = null;
                waitChanges.add(w);
            } else if (effect instanceof Effect.TimelineEntry te) {
                // at the command's business time (e.g. billing's paidAt, days back), recorded now
                writes.timeline.add(new CaseStore.NewTimelineEntry(c.id(), te.at(), now, actedBy(te.actor(), actor), te.kind(), stage,
                        te.kind() + (te.details() == null ? "" : ": " + te.details()), te.details()));
            }
            // documents, mails and the like are the handlers' business
        }

        Optional<TimedNodes.Running> running = nodes.current(c.id());
        running.ifPresent(n -> tasks.attachToNode(c.id(), opened.stream()
                .filter(no -> TaskClocks.nodeOf(state.task(no).orElseThrow().kind()).orElse(null) == n.node()).toList(), n.id()));
        OffsetDateTime dueAt = running.map(TimedNodes.Running::dueAt).orElse(null);

        String waitReason = state.customerWait() == null ? null : state.customerWait().reason();
        Stage previous = stageBefore;
        for (Effect.StageChanged sc : stageChanges) {
            String reason = sc.reason() != null ? sc.reason() : (sc.to() == state.stage() ? waitReason : null);
            announce(writes, c, sc.to(), previous, actor, reason, dueAt, sc.from() + " → " + sc.to() + (reason == null ? "" : ": " + reason));
            previous = sc.to();
        }
        if (stageChanges.isEmpty() && !waitChanges.isEmpty()) {
            // a pause or resume changes dueAt without a stage change: billing hears it too (stage = previousStage)
            announce(writes, c, state.stage(), state.stage(), actor, waitReason, dueAt,
                    waitReason == null ? "客户等待结束，时限恢复计算 (customer wait ended)" : "等待客户 (waiting for the customer): " + waitReason);
        }

        String reason = waitReason != null ? waitReason
                : stageChanges.isEmpty() ? null : stageChanges.get(stageChanges.size() - 1).reason();
        writes.flush();
        String stateJson = states.write(state);
        cases.update(c, state.stage(), reason, acceptedAt, stateJson, now);
        CaseRecord after = c.updated(state.stage(), reason, acceptedAt, stateJson);
        CaseContext context = new CaseContext(after, state, running.orElse(null), now);
        for (CaseEffectHandler handler : handlers.stream().toList()) {
            for (Effect effect : t.effects()) {
                handler.on(context, effect);
            }
        }
        // what announces the transition (hand-off mails) comes after what records it (documents), without an order number
        events.publishEvent(new TransitionRecorded(context, t.effects()));
        return context;
    }

    /** A representative's own entries name the login that acted (when the command came with one). */
    private static String actedBy(Actor kind, String actor) {
        return kind == Actor.REPRESENTATIVE && actor != null && !isKind(actor) ? actor : kind.name();
    }

    private static boolean isKind(String actor) {
        for (Actor a : Actor.values()) {
            if (a.name().equals(actor)) {
                return true;
            }
        }
        return false;
    }

    /** A stage change outside the workflow (a case that is not eligible is answered and never managed). */
    public void recordWithoutWorkflow(CaseRecord c, Stage to, String actor, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        cases.update(c, to, reason, null, null, now);
        Writes writes = new Writes();
        announce(writes, c, to, c.stage(), actor, reason, null, c.stage() + " → " + to + (reason == null ? "" : ": " + reason));
        writes.flush();
    }

    /** The case's creation in RECEIVED, told to billing so it learns the case number at once. */
    public void received(CaseRecord c, String summary) {
        Writes writes = new Writes();
        announce(writes, c, Stage.RECEIVED, null, "BILLING", null, null, summary);
        writes.flush();
    }

    private void announce(Writes writes, CaseRecord c, Stage to, Stage from, String actor, String reason, OffsetDateTime dueAt,
                          String summary) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        writes.timeline.add(new CaseStore.NewTimelineEntry(c.id(), now, now, actor, "STAGE_CHANGED", to, summary, reason));
        writes.changes.add(new StatusAnnouncements.Change(c, to, from, now, dueAt, reason));
    }

    /** Rows a transition writes in batches: its timeline entries and its status messages, each in the order made. */
    private final class Writes {
        final List<CaseStore.NewTimelineEntry> timeline = new ArrayList<>();
        final List<StatusAnnouncements.Change> changes = new ArrayList<>();

        void flush() {
            cases.appendTimeline(timeline);
            status.caseStatusChanged(changes);
            timeline.clear();
            changes.clear();
        }
    }

    private LocalDate businessDate(OffsetDateTime t) {
        return t.atZoneSameInstant(zone).toLocalDate();
    }
}
