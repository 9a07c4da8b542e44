package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import cn.yekuo.hub.documents.DocumentChain;

/**
 * Chains the documents archived before V21_6_1, case by case in the order archived (by id), with the hub's own
 * {@link DocumentChain}, and records each case's head. Runs in Flyway's transaction: all cases or none.
 */
public class V21_6_2__document_hash_chain_backfill extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (PreparedStatement select = c.prepareStatement("""
                     select d.id, d.case_id, y.case_no, d.type, d.document_no, d.round, d.version, d.path, d.sha256,
                            d.size_bytes, d.created_at
                     from case_document d join yk_case y on y.id = d.case_id
                     order by d.case_id, d.id""");
             PreparedStatement update = c.prepareStatement("update case_document set chain_seq = ?, chain_sha256 = ? where id = ?");
             PreparedStatement head = c.prepareStatement(
                     "insert into case_document_chain (case_id, head_sha256, documents) values (?, ?, ?)");
             ResultSet rs = select.executeQuery()) {
            long caseId = -1;
            String chain = DocumentChain.GENESIS;
            int seq = 0;
            while (rs.next()) {
                if (rs.getLong("case_id") != caseId) {
                    if (caseId >= 0) {
                        insertHead(head, caseId, chain, seq);
                    }
                    caseId = rs.getLong("case_id");
                    chain = DocumentChain.GENESIS;
                    seq = 0;
                }
                seq++;
                chain = DocumentChain.next(chain, new DocumentChain.Link(seq, rs.getString("case_no"), rs.getString("type"),
                        rs.getString("document_no"), rs.getInt("round"), rs.getInt("version"), rs.getString("path"),
                        rs.getString("sha256"), rs.getLong("size_bytes"), rs.getObject("created_at", OffsetDateTime.class)));
                update.setInt(1, seq);
                update.setString(2, chain);
                update.setLong(3, rs.getLong("id"));
                update.executeUpdate();
            }
            if (caseId >= 0) {
                insertHead(head, caseId, chain, seq);
            }
        }
    }

    private static void insertHead(PreparedStatement head, long caseId, String chain, int documents) throws SQLException {
        head.setLong(1, caseId);
        head.setString(2, chain);
        head.setInt(3, documents);
        head.executeUpdate();
    }
}
