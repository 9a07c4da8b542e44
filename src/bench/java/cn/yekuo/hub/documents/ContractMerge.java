package cn.yekuo.hub.documents;

/** The hub's own merge of a contract and its asset transfer agreement, for the Flowable peer of the lifecycle benchmark. */
public final class ContractMerge {

    private ContractMerge() {
    }

    /** {@link CustomerDocuments#merged}: contract pages first, one PDF/A-3b file. */
    public static byte[] merged(String caseNo, byte[] contract, byte[] agreement) {
        return CustomerDocuments.merged(caseNo, contract, agreement);
    }
}
