package io.virtfleet.agent.libvirt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * XML to and from libvirt. Documents the agent sends are typed models serialized by Jackson (escaping is Jackson's
 * job, never a string template's). Documents libvirt returns carry far more than the agent models, so the few
 * values the agent needs are read with XPath instead of a full model.
 */
public final class LibvirtXml {
    private static final XmlMapper MAPPER = XmlMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS) // empty records are flag elements such as <acpi/>
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private LibvirtXml() {
    }

    public static String write(Object model) {
        try {
            return MAPPER.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + model.getClass().getSimpleName(), e);
        }
    }

    public static Parsed parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new Parsed(factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("libvirt returned XML that does not parse: " + e.getMessage(), e);
        }
    }

    /** A parsed libvirt document. */
    public static final class Parsed {
        private final Document document;
        private final XPath xpath = XPathFactory.newInstance().newXPath();

        private Parsed(Document document) {
            this.document = document;
        }

        /** The string value of the first node the expression selects, empty when none or blank. */
        public Optional<String> value(String expression) {
            List<String> all = values(expression);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
        }

        /** The attributes of each element the expression selects, in document order. */
        public List<Map<String, String>> attributes(String expression) {
            NodeList nodes = select(expression);
            List<Map<String, String>> result = new ArrayList<>(nodes.getLength());
            for (int i = 0; i < nodes.getLength(); i++) {
                NamedNodeMap attributes = nodes.item(i).getAttributes();
                Map<String, String> values = new HashMap<>();
                for (int a = 0; attributes != null && a < attributes.getLength(); a++) {
                    values.put(attributes.item(a).getNodeName(), attributes.item(a).getNodeValue());
                }
                result.add(values);
            }
            return result;
        }

        /** The non-blank string values of all nodes the expression selects, in document order. */
        public List<String> values(String expression) {
            NodeList nodes = select(expression);
            List<String> result = new ArrayList<>(nodes.getLength());
            for (int i = 0; i < nodes.getLength(); i++) {
                String text = nodes.item(i).getTextContent();
                if (text != null && !text.isBlank()) {
                    result.add(text.trim());
                }
            }
            return result;
        }

        private NodeList select(String expression) {
            try {
                return (NodeList) xpath.evaluate(expression, document, XPathConstants.NODESET);
            } catch (XPathExpressionException e) {
                throw new IllegalArgumentException("bad XPath " + expression, e);
            }
        }
    }
}
