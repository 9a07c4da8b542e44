package cn.yekuo.hub.tokens;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Where the old 6-hex-digit tokens end (docs/contract.md §2): the last task and return-visit plan that existed when the
 * hub moved to 12-hex tokens (row {@code token_cutover}, written once by its migration). Only those were ever sent a
 * 6-hex token; for anything newer a 6-hex token is a 24-bit guess and refused like a forged one.
 */
@Repository
public class TokenCutover {

    private final JdbcTemplate jdbc;

    public TokenCutover(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when task {@code taskNo} of {@code caseNo} was opened before the cut-over. */
    public boolean legacyTaskToken(String caseNo, int taskNo) {
        List<Integer> found = jdbc.queryForList("""
                select 1 from case_task t join yk_case c on c.id = t.case_id, token_cutover k
                where c.case_no = ? and t.task_no = ? and t.id <= k.last_task_id""", Integer.class, caseNo, taskNo);
        return !found.isEmpty();
    }

    /** True when the return-visit plan with this id was sent before the cut-over. */
    public boolean legacyPlanToken(long planId) {
        List<Integer> found = jdbc.queryForList("select 1 from token_cutover where ? <= last_plan_id", Integer.class, planId);
        return !found.isEmpty();
    }
}
