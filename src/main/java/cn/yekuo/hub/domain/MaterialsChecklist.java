package cn.yekuo.hub.domain;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The completeness check of the application materials (申请资料) for a business type. */
public final class MaterialsChecklist {

    private MaterialsChecklist() {
    }

    public static Set<Material> required(ServiceType type) {
        Set<Material> required = EnumSet.noneOf(Material.class);
        for (Material m : Material.values()) {
            if (m.isRequiredFor(type)) {
                required.add(m);
            }
        }
        return required;
    }

    /** The required materials not among those supplied, in checklist order. */
    public static List<Material> missing(ServiceType type, Collection<Material> supplied) {
        return required(type).stream().filter(m -> !supplied.contains(m)).toList();
    }

    /** "缺少资料：…" with each material's Chinese name and code, for the customer wait reason. */
    public static String describeMissing(List<Material> missing) {
        return "缺少资料：" + missing.stream().map(m -> m.chinese() + " (" + m.name() + ")").collect(Collectors.joining("；"))
                + " (materials missing: " + missing.stream().map(Material::name).collect(Collectors.joining(", ")) + ")";
    }
}
