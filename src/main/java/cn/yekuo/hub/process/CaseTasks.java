package cn.yekuo.hub.process;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Task;

/** Hand-off tasks as the rest of the hub queries them (mail correlation, dashboard, deadline charges). */
@Repository
public class CaseTasks {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public CaseTasks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A task row: its case, kind, unit, status, and the clock it answers to (if timed). */
    public record TaskRow(long caseId, String caseNo, int taskNo, TaskKind kind, String unit, Stage stage, String status,
                          Long nodeId, OffsetDateTime openedAt, OffsetDateTime closedAt, String result, OffsetDateTime dueAt) {

        public boolean isOpen() {
            return "OPEN".equals(status);
        }
    }

    public void open(long caseId, Task task, Stage stage) {
        jdbc.update("""
                insert into case_task (case_id, task_no, kind, unit, stage, status, opened_at)
                values (?, ?, ?, ?, ?, 'OPEN', ?)""",
                caseId, task.no(), task.kind().name(), task.unit().code(), stage.name(), task.openedAt());
    }

    public void close(long caseId, Task task) {
        jdbc.update("update case_task set status = ?, closed_at = ?, result = ?, fields = ? where case_id = ? and task_no = ?",
                task.status().name(), task.closedAt(), task.result() == null ? null : task.result().name(),
                write(task.fields()), caseId, task.no());
    }

    /** Tasks opened in this transition answer to the clock it left running, when that clock is theirs. */
    public void attachToNode(long caseId, List<Integer> taskNos, long nodeId) {
        if (taskNos.isEmpty()) {
            return;
        }
        List<Object> args = new java.util.ArrayList<>(List.of(nodeId, caseId));
        args.addAll(taskNos);
        jdbc.update("update case_task set node_id = ? where case_id = ? and task_no in ("
                + String.join(",", java.util.Collections.nCopies(taskNos.size(), "?")) + ")", args.toArray());
    }

    public Optional<TaskRow> find(String caseNo, int taskNo) {
        // the case's id first: by c.case_no, H2 joins from a scan of every case's tasks (the left join fixes its order)
        return jdbc.query(SELECT + " where t.case_id = (select x.id from yk_case x where x.case_no = ?) and t.task_no = ?", this::map,
                caseNo, taskNo).stream().findFirst();
    }

    public List<TaskRow> ofCase(long caseId) {
        return jdbc.query(SELECT + " where t.case_id = ? order by t.task_no", this::map, caseId);
    }

    /** Open tasks of a clock: the units that owe an answer when it runs out. */
    public List<TaskRow> openOnNode(long nodeId) {
        return jdbc.query(SELECT + " where t.node_id = ? and t.status = 'OPEN' order by t.task_no", this::map, nodeId);
    }

    /** The number of the case's latest DESIGN task answered DONE (its files go with the design review); empty if none. */
    public Optional<Integer> lastDoneDesign(long caseId) {
        return Optional.ofNullable(jdbc.queryForObject("""
                select max(task_no) from case_task where case_id = ? and kind = 'DESIGN' and result = 'DONE'""",
                Integer.class, caseId));
    }

    private static final String SELECT = """
            select t.case_id, c.case_no, t.task_no, t.kind, t.unit, t.stage, t.status, t.node_id, t.opened_at, t.closed_at,
                   t.result, n.due_at
            from case_task t join yk_case c on c.id = t.case_id left join case_node n on n.id = t.node_id""";

    private TaskRow map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new TaskRow(rs.getLong("case_id"), rs.getString("case_no"), rs.getInt("task_no"), TaskKind.valueOf(rs.getString("kind")),
                rs.getString("unit"), Stage.valueOf(rs.getString("stage")), rs.getString("status"),
                (Long) rs.getObject("node_id", Long.class), rs.getObject("opened_at", OffsetDateTime.class),
                rs.getObject("closed_at", OffsetDateTime.class), rs.getString("result"), rs.getObject("due_at", OffsetDateTime.class));
    }

    private String write(Map<String, String> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
