package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.workflow.Command.CompleteTask;
import cn.yekuo.hub.domain.workflow.Effect.NodeCompleted;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reply read later than it came (docs/contract.md §2.3): it answers when it came, what it starts starts when read. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplyTimeTest {

    @Test
    void a_reply_read_days_after_it_came_closes_its_task_and_node_when_it_came_and_starts_what_follows_when_read() {
        CaseDriver d = CaseDriver.accepted().toDesign();
        OffsetDateTime came = d.tick();
        OffsetDateTime read = came.plusDays(3);

        d.ok(new CompleteTask(read, Actor.UNIT, d.open(TaskKind.DESIGN), TaskResult.DONE, Map.of(), came));

        assertThat(d.state.task(3).orElseThrow().closedAt()).as("the design task").isEqualTo(came);
        assertThat(d.effects).filteredOn(NodeStarted.class::isInstance).singleElement()
                .isEqualTo(new NodeStarted(Node.DESIGN_REVIEW, List.of(Unit.PRODUCTION), read));
        assertThat(d.effects).filteredOn(TaskOpened.class::isInstance).map(e -> ((TaskOpened) e).task().openedAt())
                .containsExactly(read);
        assertThat(d.state.openNode()).isEqualTo(new OpenNode(Node.DESIGN_REVIEW, read));

        OffsetDateTime reviewCame = read.plusHours(1);
        d.ok(new CompleteTask(reviewCame.plusDays(2), Actor.UNIT, d.open(TaskKind.DESIGN_REVIEW), APPROVED, Map.of(), reviewCame));

        assertThat(d.effects).contains(new NodeCompleted(Node.DESIGN_REVIEW, reviewCame));
    }

    @Test
    void an_answer_cannot_come_after_it_is_taken() {
        OffsetDateTime at = CaseDriver.T0;
        assertThatThrownBy(() -> new CompleteTask(at, Actor.UNIT, 1, APPROVED, CaseDriver.TECHNICAL, at.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
