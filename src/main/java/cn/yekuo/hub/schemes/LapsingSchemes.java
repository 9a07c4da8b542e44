package cn.yekuo.hub.schemes;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The schemes that can still lapse: cases in DESIGN whose design has not gone to review (an open DESIGN task). */
@Repository
public class LapsingSchemes {

    /**
     * One scheme in force.
     *
     * @param schemeLetterAt the latest SCHEME_REPLY letter of the case, null when none was issued yet
     * @param designFrom     when the design was first asked after the latest scheme (the scheme's completion)
     */
    public record Candidate(long caseId, String caseNo, OffsetDateTime acceptedAt, OffsetDateTime schemeLetterAt,
                            OffsetDateTime designFrom) {

        /** The scheme's notice: its letter, unless the letter is a lapsed scheme's and the new one is not out yet. */
        public OffsetDateTime notifiedAt() {
            return schemeLetterAt != null && !schemeLetterAt.isBefore(designFrom) ? schemeLetterAt : designFrom;
        }
    }

    private final JdbcTemplate jdbc;

    public LapsingSchemes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Candidate> inDesign() {
        return jdbc.query("""
                select c.id, c.case_no, coalesce(c.accepted_at, c.submitted_at) accepted,
                       (select max(d.created_at) from case_document d where d.case_id = c.id and d.type = 'SCHEME_REPLY') letter,
                       (select min(t.opened_at) from case_task t where t.case_id = c.id and t.kind = 'DESIGN'
                           and t.task_no > (select max(s.task_no) from case_task s
                                            where s.case_id = c.id and s.kind in ('SCHEME_TECHNICAL', 'SCHEME_BUSINESS'))) design_from
                from yk_case c
                where c.stage = 'DESIGN'
                  and exists (select 1 from case_task t where t.case_id = c.id and t.kind = 'DESIGN' and t.status = 'OPEN')
                order by c.id""",
                (rs, i) -> new Candidate(rs.getLong("id"), rs.getString("case_no"), rs.getObject("accepted", OffsetDateTime.class),
                        rs.getObject("letter", OffsetDateTime.class), rs.getObject("design_from", OffsetDateTime.class)));
    }
}
