package cn.yekuo.hub.domain.workflow;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.workflow.Command.PauseForCustomer;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitStarted;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;

import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static org.assertj.core.api.Assertions.assertThat;

/** A pause recorded late (issue 17 point 5): the wait starts when the customer was waited for, not when it was typed in. */
class BackdatedPauseTest {

    @Test
    void a_back_dated_pause_starts_the_wait_at_its_from_and_says_so_on_the_timeline() {
        CaseDriver d = CaseDriver.accepted();
        OffsetDateTime from = d.tick();
        OffsetDateTime at = d.tick().plusDays(2);

        Outcome.Transition t = d.ok(new PauseForCustomer(at, Actor.REPRESENTATIVE, "客户电话要求暂缓", from));

        assertThat(d.business()).containsExactly(new CustomerWaitStarted("客户电话要求暂缓", from));
        assertThat(d.state.customerWait()).isEqualTo(new CustomerWait("客户电话要求暂缓", from));
        Effect.TimelineEntry entry = t.effects().stream().filter(Effect.TimelineEntry.class::isInstance)
                .map(Effect.TimelineEntry.class::cast).findFirst().orElseThrow();
        assertThat(entry.at()).as("when it happened").isEqualTo(from);
        assertThat(entry.details()).contains("客户电话要求暂缓", "back-dated", at.toString());
    }

    @Test
    void a_pause_cannot_start_before_the_running_clock_or_in_the_future() {
        CaseDriver d = CaseDriver.accepted();
        OffsetDateTime at = d.tick();

        Refused before = d.refused(new PauseForCustomer(at, Actor.REPRESENTATIVE, "x", CaseDriver.T0.minusSeconds(1)));
        assertThat(before.code()).isEqualTo(Refused.BEFORE_NODE_STARTED);
        assertThat(before.message()).contains("SCHEME_REPLY", CaseDriver.T0.toString());
        assertThat(d.refused(new PauseForCustomer(at, Actor.REPRESENTATIVE, "x", at.plusMinutes(1))).code())
                .isEqualTo(Refused.INVALID_FIELD);
        assertThat(d.state.customerWait()).isNull();

        d.ok(new PauseForCustomer(d.tick(), Actor.REPRESENTATIVE, "x", CaseDriver.T0));
        assertThat(d.state.customerWait().since()).as("the clock's own start is allowed").isEqualTo(CaseDriver.T0);
    }

    @Test
    void a_design_started_before_its_node_existed_completes_without_one() {
        CaseDriver d = CaseDriver.accepted().toDesign();
        // a case stored before the construction unit's nodes: in DESIGN with no open node
        d.state = d.state.withOpenNode(null);

        d.answer(TaskKind.DESIGN, DONE);

        assertThat(d.business()).noneMatch(e -> e instanceof Effect.NodeCompleted);
        assertThat(d.state.openNode().node()).isEqualTo(Node.DESIGN_REVIEW);
        assertThat(d.business()).contains(new Effect.NodeStarted(Node.DESIGN_REVIEW, List.of(cn.yekuo.hub.domain.Unit.PRODUCTION),
                d.clock));
    }
}
