package io.virtfleet.operator.console;

import io.virtfleet.crds.v1alpha1.Console;

/**
 * The consoles' public names: the aggregated API group {@value #GROUP} whose {@code virtualmachines/console} and
 * {@code virtualmachines/vnc} subresources users open (RBAC: verb {@code get} on those subresources), and what
 * {@code status.console} tells them.
 */
public final class ConsoleAccess {
    public static final String GROUP = "subresources.virtfleet.io";
    public static final String VERSION = "v1alpha1";
    public static final String GROUP_VERSION_PATH = "/apis/" + GROUP + "/" + VERSION;
    public static final String RESOURCE = "virtualmachines";

    private ConsoleAccess() {
    }

    /** {@code /apis/subresources.virtfleet.io/v1alpha1/namespaces/NS/virtualmachines/NAME/console} (or {@code /vnc}). */
    public static String path(String namespace, String name, ConsoleKind kind) {
        return GROUP_VERSION_PATH + "/namespaces/" + namespace + "/" + RESOURCE + "/" + name + "/" + kind.subresource();
    }

    /** status.console for the domain {@code <namespace>.<name>}: commands and paths, never a host address. */
    public static Console describe(String agentName, boolean vnc) {
        int dot = agentName.indexOf('.');
        String namespace = agentName.substring(0, dot);
        String name = agentName.substring(dot + 1);
        Console console = new Console();
        console.setSerial(command(namespace, name, ConsoleKind.CONSOLE));
        console.setVnc(vnc ? command(namespace, name, ConsoleKind.VNC) : null);
        return console;
    }

    private static String command(String namespace, String name, ConsoleKind kind) {
        return "kubectl virtfleet " + kind.subresource() + " " + name + " -n " + namespace + " (WebSocket "
                + path(namespace, name, kind) + ")";
    }
}
