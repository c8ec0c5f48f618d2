package io.virtfleet.helm.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.virtfleet.helm.RepoFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image builds cannot run here (no registry to pull base images from), so this checks what can go wrong
 * silently: each image starts a main class that exists, and is pushed where the chart pulls it from.
 */
class ImageDefinitionsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static String xpath(Document pom, String expression) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(expression, pom).strip();
    }

    @ParameterizedTest(name = "{0} image")
    @CsvSource({
            "operator, operator/src/main/java, operator, 65532:65532",
            "agent,    host-agent/agent/src/main/java, agent, 0"})
    void imageStartsAnExistingMainClassAndMatchesTheChart(String image, String sourceRoot, String valuesKey,
                                                          String user) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(RepoFiles.ROOT.resolve("helm/images/" + image + "/pom.xml").toFile());
        String mainClass = xpath(pom, "//*[local-name()='container']/*[local-name()='mainClass']");
        String target = xpath(pom, "//*[local-name()='to']/*[local-name()='image']");
        JsonNode values = YAML.readTree(RepoFiles.CHART.resolve("values.yaml").toFile());
        String chartRepository = values.at("/" + valuesKey + "/image/repository").asText();

        Path source = RepoFiles.ROOT.resolve(sourceRoot).resolve(mainClass.replace('.', '/') + ".java");
        assertThat(source).as("main class of the %s image", image).isRegularFile();
        assertThat(Files.readString(source)).contains("public static void main(");
        assertThat(target.replace("${image.registry}", "ghcr.io/virtfleet").replace(":${image.tag}", ""))
                .isEqualTo(chartRepository);
        assertThat(xpath(pom, "//*[local-name()='container']/*[local-name()='user']")).isEqualTo(user);
    }

    @ParameterizedTest(name = "agent base image installs {0}")
    @CsvSource({"qemu-utils", "libvirt0"})
    void agentBaseImageCarriesTheToolsTheAgentCalls(String debianPackage) throws Exception {
        assertThat(Files.readString(RepoFiles.ROOT.resolve("helm/images/agent/base/Dockerfile")))
                .containsPattern("apt-get install[^\\n]*\\b" + debianPackage + "\\b");
    }
}
