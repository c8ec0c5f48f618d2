package io.virtfleet.kubectl;

import io.virtfleet.crds.v1alpha1.RunStrategy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The verbs by name, in the order help lists them. A new verb is one class and one line in {@link #standard()}. */
public final class Verbs {
    private final Map<String, Verb> byName = new LinkedHashMap<>();

    public static Verbs standard() {
        Verbs verbs = new Verbs();
        verbs.add(new RunStrategyVerb("start", RunStrategy.Always, "keep the VM running (spec.runStrategy=Always)"));
        verbs.add(new RunStrategyVerb("stop", RunStrategy.Halted,
                "shut the VM down gracefully and keep it stopped (spec.runStrategy=Halted)"));
        verbs.add(new RunStrategyVerb("pause", RunStrategy.Paused,
                "pause the VM, started first if stopped (spec.runStrategy=Paused)"));
        verbs.add(new RunStrategyVerb("unpause", RunStrategy.Always, "resume a paused VM (spec.runStrategy=Always)"));
        verbs.add(new RestartVerb());
        verbs.add(new StatusVerb());
        verbs.add(ConsoleVerb.console());
        verbs.add(ConsoleVerb.vnc());
        verbs.add(new HelpVerb(verbs::all));
        return verbs;
    }

    public Verbs add(Verb verb) {
        if (byName.putIfAbsent(verb.usage().name(), verb) != null) {
            throw new IllegalArgumentException("two verbs named " + verb.usage().name());
        }
        return this;
    }

    public Optional<Verb> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Verb> all() {
        Collection<Verb> values = byName.values();
        return List.copyOf(values);
    }
}
