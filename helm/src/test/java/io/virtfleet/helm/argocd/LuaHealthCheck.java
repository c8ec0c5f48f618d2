package io.virtfleet.helm.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs an Argo CD health.lua the way Argo CD does: the resource as the global table {@code obj}, the script's return
 * value a table with {@code status} and {@code message}. The interpreter is luaj (Lua 5.2); Argo CD uses gopher-lua
 * (Lua 5.1) — the scripts stay inside the common subset.
 */
public final class LuaHealthCheck {
    private final Path script;
    private final String source;

    public LuaHealthCheck(Path script) throws IOException {
        this.script = script;
        this.source = Files.readString(script);
    }

    public HealthStatus evaluate(JsonNode resource) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(resource));
        LuaValue result = globals.load(source, script.getFileName().toString()).call();
        return new HealthStatus(result.get("status").optjstring(null), result.get("message").optjstring(null));
    }

    /** JSON objects become tables with string keys, arrays 1-based tables; nulls are absent, as in Argo CD. */
    static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                table.set(field.getKey(), toLua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isIntegralNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
