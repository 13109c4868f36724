package dev.triggerlayer.e2e.official;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.aliyun.tea.NameInMap;
import com.aliyun.tea.TeaModel;

/**
 * Test-only helpers for the official-model shape copies in this package ({@link GetTaskInstanceAnswer},
 * {@link ListTaskInstancesAnswer}), written from the facts in the issue notes; this is not SDK code.
 * It maps a JSON answer through the SDK's own {@link TeaModel#toModel} and lists the fields left null.
 */
public final class OfficialModels {

    private OfficialModels() {
    }

    /**
     * Maps a parsed JSON object into a new instance of {@code type} with the SDK's {@link TeaModel#toModel}.
     */
    public static <T extends TeaModel> T map(Map<String, Object> json, Class<T> type) {
        try {
            return TeaModel.toModel(json, type.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot map JSON into " + type.getName(), e);
        }
    }

    /**
     * Returns the dotted {@code @NameInMap} paths (e.g. {@code TaskInstance.RuntimeResource.Cu},
     * {@code PagingInfo.TaskInstances[0].Owner}) of every public field of {@code model} that is null,
     * walking nested {@link TeaModel} fields and the elements of list fields. A path is skipped (and so is
     * everything below it) when, after every {@code [n]} index is replaced by {@code []}, it is one of
     * {@code ignored}; e.g. {@code PagingInfo.TaskInstances[].Owner} ignores Owner in every element.
     */
    public static List<String> nullFields(Object model, Set<String> ignored) {
        List<String> nulls = new ArrayList<>();
        walk(model, "", ignored, nulls);
        return nulls;
    }

    private static void walk(Object model, String prefix, Set<String> ignored, List<String> nulls) {
        for (Field field : model.getClass().getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            NameInMap name = field.getAnnotation(NameInMap.class);
            String key = name != null ? name.value() : field.getName();
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (isIgnored(path, ignored)) {
                continue;
            }
            Object value;
            try {
                value = field.get(model);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
            visit(value, path, ignored, nulls);
        }
    }

    private static void visit(Object value, String path, Set<String> ignored, List<String> nulls) {
        if (value == null) {
            nulls.add(path);
        } else if (value instanceof TeaModel) {
            walk(value, path, ignored, nulls);
        } else if (value instanceof List<?>) {
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                String elementPath = path + "[" + i + "]";
                if (!isIgnored(elementPath, ignored)) {
                    visit(list.get(i), elementPath, ignored, nulls);
                }
            }
        }
    }

    private static boolean isIgnored(String path, Set<String> ignored) {
        return ignored.contains(path.replaceAll("\\[\\d+\\]", "[]"));
    }
}
