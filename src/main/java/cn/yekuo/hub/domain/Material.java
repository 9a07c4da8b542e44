package cn.yekuo.hub.domain;

import java.util.EnumSet;
import java.util.Set;

import static cn.yekuo.hub.domain.ServiceType.CAPACITY_INCREASE;
import static cn.yekuo.hub.domain.ServiceType.NEW_INSTALL;
import static cn.yekuo.hub.domain.ServiceType.RELOCATION;

/** Application materials (申请资料) and which business types require them (docs/domain.md checklist). */
public enum Material {
    APPLICATION_FORM("用电申请登记表", NEW_INSTALL, CAPACITY_INCREASE, RELOCATION),
    BUSINESS_LICENSE("营业执照", NEW_INSTALL, CAPACITY_INCREASE, RELOCATION),
    AGENT_AUTHORIZATION("委托书及经办人身份证", NEW_INSTALL, CAPACITY_INCREASE, RELOCATION),
    PROPERTY_PROOF("产权证明或租赁合同", NEW_INSTALL, RELOCATION),
    PROJECT_APPROVAL("立项批复、规划选址意见", NEW_INSTALL, RELOCATION),
    EQUIPMENT_LIST("用电设备清单", NEW_INSTALL, CAPACITY_INCREASE),
    SITE_PLAN("总平面图", NEW_INSTALL, CAPACITY_INCREASE, RELOCATION),
    EXISTING_CONTRACT("原供用电合同", CAPACITY_INCREASE, RELOCATION);

    private final String chinese;
    private final Set<ServiceType> requiredFor;

    Material(String chinese, ServiceType first, ServiceType... rest) {
        this.chinese = chinese;
        this.requiredFor = EnumSet.of(first, rest);
    }

    public String chinese() {
        return chinese;
    }

    public boolean isRequiredFor(ServiceType type) {
        return requiredFor.contains(type);
    }
}
