package cn.yekuo.hub.cases;

import java.time.OffsetDateTime;

import cn.yekuo.hub.domain.Stage;

/** A case as the store holds it: identity, stage and the facts the status messages need. */
public record CaseRecord(long id, String caseNo, String applicationNo, String serviceType, Stage stage, String reason,
                         int powerSources, OffsetDateTime submittedAt, OffsetDateTime acceptedAt, int version) {
}
