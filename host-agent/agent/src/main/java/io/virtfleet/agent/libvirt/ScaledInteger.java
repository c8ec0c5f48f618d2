package io.virtfleet.agent.libvirt;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;

/** libvirt's "scaled integer": a number with a {@code unit} attribute, e.g. {@code <memory unit='KiB'>1024</memory>}. */
public record ScaledInteger(@JacksonXmlProperty(isAttribute = true) String unit, @JacksonXmlText long value) {
    public static ScaledInteger bytes(long value) {
        return new ScaledInteger("bytes", value);
    }

    public static ScaledInteger kibibytes(long value) {
        return new ScaledInteger("KiB", value);
    }
}
