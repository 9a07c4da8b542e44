package cn.yekuo.hub.deadlines;

import static cn.yekuo.hub.deadlines.DeadlineHubs.at;
import static cn.yekuo.hub.deadlines.DeadlineHubs.entries;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RunningHub;

/**
 * Issue 17 point 5: the construction unit is charged once a rule file times its work (off in the default table), with
 * the row's own deduction; a row without one takes its rule set's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConstructionUnitChargeTest {

    /** Outside the ephemeral range and inside this test's own block. */
    private static final int BROKER_PORT = 62410;

    RunningHub hub;
    MutableClock clock;

    @BeforeAll
    void startHub() throws IOException {
        Path data = RunningHub.newDataDir("construction-limits");
        Files.createDirectories(data);
        Path rules = data.resolve("limits.yaml");
        Files.writeString(rules, """
                ruleSets:
                  - name: with the construction unit's limits
                    effectiveFrom: 2020-01-01
                    deduction: 2
                    rules:
                      - { node: SCHEME_REPLY, sources: any, limit: 15, days: WORKING, responsible: [production, marketing] }
                      - { node: DESIGN, limit: 2, days: WORKING, responsible: [construction], deduction: 0.5 }
                """);
        hub = DeadlineHubs.start(data, BROKER_PORT, Map.of("yk.time.rules-file", rules.toString()), DeadlineHubs.NEVER);
        clock = DeadlineHubs.clock(hub);
    }

    @AfterAll
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void a_late_design_charges_the_construction_unit_the_rows_deduction() {
        clock.set(DeadlineHubs.SUBMITTED);
        String caseNo = DeadlineHubs.newCase(hub, BROKER_PORT);
        command(caseNo, new Command.CompleteTask(at("2026-11-30T10:00:00"), Actor.UNIT, 1, TaskResult.APPROVED,
                DeadlineWatcherContract.TECHNICAL));
        command(caseNo, new Command.CompleteTask(at("2026-11-30T10:00:00"), Actor.UNIT, 2, TaskResult.APPROVED,
                DeadlineWatcherContract.BUSINESS));
        Map<String, Object> design = hub.jdbc().queryForMap("""
                select n.responsible, n.deduction from case_node n join yk_case c on c.id = n.case_id
                where c.case_no = ? and n.node = 'DESIGN'""", caseNo);
        assertThat(design.get("responsible")).isEqualTo("construction");

        clock.set(at("2026-12-02T23:59:00"));
        assertThat(hub.bean(DeadlineWatcher.class).scan().misses()).as("two working days: Dec 1 and 2").isZero();
        clock.set(at("2026-12-03T00:00:30"));
        hub.bean(DeadlineWatcher.class).scan();
        assertThat(entries(hub, caseNo)).singleElement().satisfies(e -> {
            assertThat(e.unit()).isEqualTo("construction");
            assertThat(e.node()).isEqualTo("DESIGN");
            assertThat(e.deduction()).isEqualByComparingTo("0.5");
        });

        command(caseNo, new Command.CompleteTask(at("2026-12-04T10:00:00"), Actor.UNIT, 3, TaskResult.DONE, Map.of()));
        assertThat(entries(hub, caseNo)).singleElement().satisfies(e -> assertThat(e.overrunDays()).isEqualTo(2));
        assertThat(hub.jdbc().queryForObject("""
                select n.deduction from case_node n join yk_case c on c.id = n.case_id
                where c.case_no = ? and n.node = 'SCHEME_REPLY'""", java.math.BigDecimal.class, caseNo))
                .as("a row without its own deduction: the rule set's").isEqualByComparingTo("2");
    }

    private void command(String caseNo, Command command) {
        clock.set(command.at());
        CommandResult result = hub.bean(CaseProcess.class).byCaseNo(caseNo, command, CaseProcess.Source.NONE);
        assertThat(result).isInstanceOf(CommandResult.Applied.class);
    }
}
