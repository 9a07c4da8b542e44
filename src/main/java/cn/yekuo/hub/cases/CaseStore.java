package cn.yekuo.hub.cases;

import cn.yekuo.hub.config.SqlDialect;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.Stage;

/** The case store over JDBC (H2 or PostgreSQL): cases and their append-only timeline. */
@Repository
public class CaseStore {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final String nextCaseNumberSql;

    public CaseStore(DataSource dataSource, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.nextCaseNumberSql = SqlDialect.of(dataSource).nextValue("case_no_seq");
    }

    /** {@code YK-<year>-<6 digits>}: the number comes from one database sequence, so it is unique across nodes. */
    public String nextCaseNo(int year) {
        Long n = jdbc.queryForObject(nextCaseNumberSql, Long.class);
        return String.format("YK-%04d-%06d", year, n);
    }

    public boolean existsByApplicationNo(String applicationNo) {
        Integer count = jdbc.queryForObject("select count(*) from yk_case where application_no = ?", Integer.class, applicationNo);
        return count != null && count > 0;
    }

    /** The case just inserted as {@link #findByCaseNo} would read it back, without the read. */
    public CaseRecord inserted(long id, String caseNo, NewCase c, Stage stage, String reason) {
        return new CaseRecord(id, caseNo, c.applicationNo(), c.serviceType(), stage, reason, c.powerSources(),
                c.submittedAt() == null ? null : c.submittedAt().withOffsetSameInstant(ZoneOffset.UTC), null, 0,
                new CaseRecord.Customer(c.customerId(), c.customerName(), c.contactName(), c.phone(), c.email()),
                c.siteAddress(), c.supplyStation(), null, null);
    }

    public long insert(String caseNo, NewCase c, Stage stage, String reason, OffsetDateTime now) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("caseNo", caseNo).addValue("applicationNo", c.applicationNo())
                .addValue("serviceType", c.serviceType()).addValue("stage", stage.name()).addValue("reason", reason)
                .addValue("customerId", c.customerId()).addValue("customerName", c.customerName())
                .addValue("contactName", c.contactName()).addValue("phone", c.phone()).addValue("email", c.email())
                .addValue("siteAddress", c.siteAddress()).addValue("supplyStation", c.supplyStation())
                .addValue("voltage", c.supplyVoltageKv()).addValue("kva", c.transformerKva())
                .addValue("existingKva", c.existingKva()).addValue("sources", c.powerSources())
                .addValue("materials", c.materials().stream().map(Material::name).collect(Collectors.joining(",")))
                .addValue("requestedDate", c.requestedDate())
                .addValue("submittedAt", c.submittedAt()).addValue("now", now);
        KeyHolder key = new GeneratedKeyHolder();
        named.update("""
                insert into yk_case (case_no, application_no, service_type, stage, reason, customer_id, customer_name,
                    contact_name, phone, email, site_address, supply_station, supply_voltage_kv, transformer_kva,
                    existing_kva, power_sources, materials, requested_date, submitted_at, created_at, updated_at)
                values (:caseNo, :applicationNo, :serviceType, :stage, :reason, :customerId, :customerName,
                    :contactName, :phone, :email, :siteAddress, :supplyStation, :voltage, :kva,
                    :existingKva, :sources, :materials, :requestedDate, :submittedAt, :now, :now)
                """, p, key, new String[] {"id"});
        return key.getKey().longValue();
    }

    /**
     * Writes a case's new stage and workflow state; the version check makes a concurrent change fail instead of
     * being lost.
     */
    public void update(CaseRecord c, Stage stage, String reason, OffsetDateTime acceptedAt, String stateJson, OffsetDateTime now) {
        int updated = jdbc.update("""
                update yk_case set stage = ?, reason = ?, accepted_at = coalesce(?, accepted_at), state_json = ?,
                    updated_at = ?, version = version + 1
                where id = ? and version = ?
                """, stage.name(), reason, acceptedAt, stateJson, now, c.id(), c.version());
        if (updated != 1) {
            throw new org.springframework.dao.OptimisticLockingFailureException("case " + c.caseNo() + " changed concurrently");
        }
    }

    /** The case, locked until the transaction ends: commands to one case are applied one after the other. */
    public Optional<CaseRecord> lockByCaseNo(String caseNo) {
        return jdbc.query(SELECT + " where case_no = ? for update", CaseStore::map, caseNo).stream().findFirst();
    }

    public Optional<CaseRecord> lockByApplicationNo(String applicationNo) {
        return jdbc.query(SELECT + " where application_no = ? for update", CaseStore::map, applicationNo).stream().findFirst();
    }

    public Optional<CaseRecord> findByApplicationNo(String applicationNo) {
        return jdbc.query(SELECT + " where application_no = ?", CaseStore::map, applicationNo).stream().findFirst();
    }

    public Optional<CaseRecord> findByCaseNo(String caseNo) {
        return jdbc.query(SELECT + " where case_no = ?", CaseStore::map, caseNo).stream().findFirst();
    }

    /** A case as the deadline watcher needs it: id, number and stage. */
    public record CaseRef(long id, String caseNo, Stage stage) {
    }

    /** The case a clock ({@code case_node} row) runs for, locked until the transaction ends, as the process manager locks it. */
    public Optional<CaseRef> lockByClock(long nodeId) {
        return jdbc.query("select id, case_no, stage from yk_case where id = (select case_id from case_node where id = ?) for update",
                (rs, i) -> new CaseRef(rs.getLong(1), rs.getString(2), Stage.valueOf(rs.getString(3))), nodeId)
                .stream().findFirst();
    }

    /** What the customer applied for, as stored with the case (the documents and the hand-offs show it). */
    public record Installation(BigDecimal supplyVoltageKv, int transformerKva, int existingKva, LocalDate requestedDate) {
    }

    public Installation installation(long caseId) {
        return jdbc.queryForObject(
                "select supply_voltage_kv, transformer_kva, existing_kva, requested_date from yk_case where id = ?",
                (rs, i) -> new Installation(rs.getBigDecimal("supply_voltage_kv"), rs.getInt("transformer_kva"),
                        rs.getInt("existing_kva"), rs.getObject("requested_date", LocalDate.class)), caseId);
    }

    /** Sets the case's representative (an id of the roster); the workflow's version is not touched. */
    public void setRepresentative(long caseId, String representativeId, OffsetDateTime now) {
        jdbc.update("update yk_case set representative_id = ?, updated_at = ? where id = ?", representativeId, now, caseId);
    }

    /** The representative id of a case ({@code null}: none stored), or empty for an unknown case. */
    public Optional<String> representativeIdOf(long caseId) {
        return jdbc.query("select representative_id from yk_case where id = ?", (rs, i) -> Optional.ofNullable(rs.getString(1)),
                caseId).stream().findFirst().orElse(Optional.empty());
    }

    /** Open cases (not in a final stage) per representative id; the key {@code null} counts the cases with none. */
    public java.util.Map<String, Integer> openCasesPerRepresentative() {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        List<String> finals = java.util.Arrays.stream(Stage.values()).filter(Stage::isFinal).map(Stage::name).toList();
        named.query("select representative_id, count(*) as n from yk_case where stage not in (:finals) group by representative_id",
                new MapSqlParameterSource("finals", finals),
                rs -> {
                    counts.put(rs.getString("representative_id"), rs.getInt("n"));
                });
        return counts;
    }

    /** Something the hub does now: it happened when it is recorded. */
    public void appendTimeline(long caseId, OffsetDateTime at, String actor, String kind, Stage stage, String summary, String details) {
        appendTimeline(caseId, at, at, actor, kind, stage, summary, details);
    }

    /**
     * @param happenedAt when it happened: the business time of the command (billing's {@code paidAt}, {@code signedAt},
     *                   a reply's arrival), which may lie days before
     * @param recordedAt when the hub wrote it
     */
    public void appendTimeline(long caseId, OffsetDateTime happenedAt, OffsetDateTime recordedAt, String actor, String kind,
                               Stage stage, String summary, String details) {
        jdbc.update(INSERT_TIMELINE, caseId, happenedAt, recordedAt, actor, kind, stage == null ? null : stage.name(), summary,
                details);
    }

    /** One timeline row, alone or in {@link #appendTimeline(List)}'s batch. */
    private static final String INSERT_TIMELINE = """
            insert into case_timeline (case_id, at, recorded_at, actor, kind, stage, summary, details)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";

    /** A timeline row to write ({@link #appendTimeline(List)}). */
    public record NewTimelineEntry(long caseId, OffsetDateTime at, OffsetDateTime recordedAt, String actor, String kind,
                                   Stage stage, String summary, String details) {
    }

    /** Several timeline rows in one JDBC batch, in the order given (a transition's rows). */
    public void appendTimeline(List<NewTimelineEntry> entries) {
        if (entries.size() == 1) {
            NewTimelineEntry e = entries.get(0);
            appendTimeline(e.caseId(), e.at(), e.recordedAt(), e.actor(), e.kind(), e.stage(), e.summary(), e.details());
            return;
        }
        if (entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT_TIMELINE, entries.stream().map(e -> new Object[] {e.caseId(), e.at(), e.recordedAt(),
                e.actor(), e.kind(), e.stage() == null ? null : e.stage().name(), e.summary(), e.details()}).toList());
    }

    /** In the order things happened; what happened at the same time, in the order it was recorded. */
    public List<TimelineEntry> timeline(long caseId) {
        return jdbc.query("""
                select at, coalesce(recorded_at, at) as recorded, actor, kind, stage, summary, details
                from case_timeline where case_id = ? order by at, recorded, id""",
                (rs, i) -> new TimelineEntry(offset(rs, "at"), offset(rs, "recorded"), rs.getString("actor"), rs.getString("kind"),
                        rs.getString("stage"), rs.getString("summary"), rs.getString("details")), caseId);
    }

    private static final String SELECT = """
            select id, case_no, application_no, service_type, stage, reason, power_sources, submitted_at, accepted_at, version,
                   customer_id, customer_name, contact_name, phone, email, site_address, supply_station, state_json,
                   representative_id
            from yk_case""";

    private static CaseRecord map(ResultSet rs, int row) throws SQLException {
        return new CaseRecord(rs.getLong("id"), rs.getString("case_no"), rs.getString("application_no"),
                rs.getString("service_type"), Stage.valueOf(rs.getString("stage")), rs.getString("reason"),
                rs.getInt("power_sources"), offset(rs, "submitted_at"), offset(rs, "accepted_at"), rs.getInt("version"),
                new CaseRecord.Customer(rs.getString("customer_id"), rs.getString("customer_name"), rs.getString("contact_name"),
                        rs.getString("phone"), rs.getString("email")),
                rs.getString("site_address"), rs.getString("supply_station"), rs.getString("state_json"),
                rs.getString("representative_id"));
    }

    /** Both drivers return TIMESTAMP WITH TIME ZONE as OffsetDateTime; normalised to UTC. */
    static OffsetDateTime offset(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** {@code at}: when it happened; {@code recordedAt}: when the hub wrote it (the same for what the hub does itself). */
    public record TimelineEntry(OffsetDateTime at, OffsetDateTime recordedAt, String actor, String kind, String stage,
                                String summary, String details) {
    }
}
