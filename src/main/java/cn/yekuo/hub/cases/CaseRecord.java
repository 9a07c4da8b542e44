package cn.yekuo.hub.cases;

import java.time.OffsetDateTime;

import cn.yekuo.hub.domain.Stage;

/**
 * A case as the store holds it: identity, stage, the customer, the workflow snapshot (JSON) and the id of its
 * representative ({@code null} for a case opened before the roster: {@link Roster#of(String)} names the fallback).
 */
public record CaseRecord(long id, String caseNo, String applicationNo, String serviceType, Stage stage, String reason,
                         int powerSources, OffsetDateTime submittedAt, OffsetDateTime acceptedAt, int version,
                         Customer customer, String siteAddress, String supplyStation, String stateJson,
                         String representativeId) {

    public record Customer(String id, String name, String contactName, String phone, String email) {
    }

    /** The case as {@link CaseStore#update} leaves it: what a re-read would return, without the read. */
    public CaseRecord updated(Stage newStage, String newReason, OffsetDateTime newAcceptedAt, String newStateJson) {
        OffsetDateTime accepted = newAcceptedAt == null ? acceptedAt : newAcceptedAt.withOffsetSameInstant(java.time.ZoneOffset.UTC);
        return new CaseRecord(id, caseNo, applicationNo, serviceType, newStage, newReason, powerSources, submittedAt, accepted,
                version + 1, customer, siteAddress, supplyStation, newStateJson, representativeId);
    }

    /** The case with its representative set ({@link CaseStore#setRepresentative}). */
    public CaseRecord withRepresentative(String id) {
        return new CaseRecord(this.id, caseNo, applicationNo, serviceType, stage, reason, powerSources, submittedAt, acceptedAt,
                version, customer, siteAddress, supplyStation, stateJson, id);
    }
}
