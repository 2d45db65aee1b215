package io.tlsaccel.nativelib;

/**
 * What the C layer holds, for a server's monitoring: registered as
 * {@code io.tlsaccel:type=NativeLibrary} in the platform MBean server once the library loads
 * (jconsole, JMX exporters). Nothing secret: counts and names only.
 */
public interface NativeLibraryMXBean {
    /** AEAD and MAC key contexts made and not yet freed. */
    long getLiveContexts();

    /** Where the library was loaded from. */
    String getSource();
}
