package io.virtfleet.helm.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.virtfleet.helm.RepoFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The committed CRDs of crds/, typed (Fabric8) for kubectl-facing checks and as plain trees for schema walks. */
public final class CrdFiles {
    /** VirtFleet kinds and the plural their CRD file is named after. */
    public static final Map<String, String> PLURALS = Map.of(
            "VirtualMachine", "virtualmachines",
            "RootVolume", "rootvolumes",
            "TenantPolicy", "tenantpolicies",
            "VirtualMachineSnapshot", "virtualmachinesnapshots",
            "VirtualMachineRestore", "virtualmachinerestores",
            "VirtualNetwork", "virtualnetworks",
            "VirtualMachineImage", "virtualmachineimages");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CrdFiles() {
    }

    public static CustomResourceDefinition definition(String kind) {
        return Serialization.unmarshal(read(file(kind)), CustomResourceDefinition.class);
    }

    /** spec.versions[0].schema.openAPIV3Schema of the kind's CRD (VirtFleet serves one version). */
    public static JsonNode openApiSchema(String kind) {
        try {
            return YAML.readTree(read(file(kind))).at("/spec/versions/0/schema/openAPIV3Schema");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String kind) {
        String plural = PLURALS.get(kind);
        if (plural == null) {
            throw new IllegalArgumentException("not a VirtFleet kind: " + kind);
        }
        return RepoFiles.crd(plural);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
