package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An overlay as Kubernetes would receive it: rendered by kubectl kustomize, then every object read strictly into
 * the fabric8 model of its API type. Strict means a field the Kubernetes API does not define (a typo, a field at
 * the wrong level) or a value of the wrong type fails, where fabric8 would normally keep it aside as an
 * "additional property".
 */
final class Manifests {

    /** The API types the suite uses; anything else fails, so a new kind is added here deliberately. */
    static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class);

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    // fabric8 collects unknown fields through @JsonAnySetter; without it they are errors.
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());
    private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

    final String overlay;
    final List<JsonNode> documents;
    final List<HasMetadata> objects;

    static Manifests of(String overlay) {
        return CACHE.computeIfAbsent(overlay, Manifests::new);
    }

    private Manifests(String overlay) {
        this.overlay = overlay;
        this.documents = documents(Tools.kustomize(overlay));
        List<HasMetadata> typed = new ArrayList<>();
        for (JsonNode document : documents) {
            typed.add(strict(document));
        }
        this.objects = List.copyOf(typed);
    }

    static List<JsonNode> documents(String yaml) {
        try {
            List<JsonNode> result = new ArrayList<>();
            for (JsonNode node : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    result.add(node);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One object in its API type, failing on anything that type does not define. */
    static HasMetadata strict(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        String name = document.path("metadata").path("name").asText();
        Class<? extends HasMetadata> type = TYPES.get(apiVersion + "/" + kind);
        if (type == null) {
            return fail(kind + " " + name + ": " + apiVersion + "/" + kind + " is not a type this suite expects; add it to Manifests.TYPES");
        }
        try {
            return STRICT.treeToValue(document, type);
        } catch (IOException e) {
            return fail(kind + " " + name + " is not a valid " + apiVersion + " " + kind + ": " + e.getMessage());
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseGet(() -> fail(overlay + " renders no " + type.getSimpleName() + " named " + name));
    }

    /** The pod templates of every workload, with the workload's kind and name. */
    List<Workload> workloads() {
        List<Workload> result = new ArrayList<>();
        all(Deployment.class).forEach(d -> result.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getTemplate(),
                d.getSpec().getReplicas())));
        all(StatefulSet.class).forEach(s -> result.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getTemplate(),
                s.getSpec().getReplicas())));
        return result;
    }

    /** A container running one of the suite's images, with its workload and the module the image is built from. */
    record ServiceContainer(Workload workload, io.fabric8.kubernetes.api.model.Container container, String module) {
    }

    List<ServiceContainer> serviceContainers() {
        List<ServiceContainer> result = new ArrayList<>();
        for (Workload w : workloads()) {
            for (var c : w.template().getSpec().getContainers()) {
                String module = Repository.moduleOfImage(c.getImage());
                if (module != null) {
                    result.add(new ServiceContainer(w, c, module));
                }
            }
        }
        return result;
    }

    /** The names of the environment variables a container gets: its env and, with their prefix, its config maps' keys. */
    List<String> envNames(io.fabric8.kubernetes.api.model.Container c) {
        List<String> names = new ArrayList<>();
        Stream.ofNullable(c.getEnv()).flatMap(List::stream).map(EnvVar::getName).forEach(names::add);
        for (EnvFromSource from : Stream.ofNullable(c.getEnvFrom()).flatMap(List::stream).toList()) {
            ConfigMap map = named(ConfigMap.class, from.getConfigMapRef().getName());
            map.getData().keySet().forEach(k -> names.add((from.getPrefix() == null ? "" : from.getPrefix()) + k));
        }
        return names;
    }

    record Workload(String kind, String name, PodTemplateSpec template, Integer replicas) {

        Map<String, String> labels() {
            return template.getMetadata().getLabels();
        }
    }
}
