package gitops

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// health runs script the way Argo CD runs a resource health check: obj is
// the object as a Lua table (lists 1-based), the script returns a table
// with status and message. Only the base, table and string libraries are
// open, fewer than Argo CD opens, so the script needs nothing more.
func health(script string, obj map[string]any) (status, message string, err error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		return "", "", err
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("the script returned %s, want a table", L.Get(-1).Type())
	}
	return lua.LVAsString(ret.RawGetString("status")), lua.LVAsString(ret.RawGetString("message")), nil
}

// toLua converts a decoded JSON value into Lua values.
func toLua(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case map[string]any:
		t := L.NewTable()
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.RawSetString(k, toLua(L, v[k]))
		}
		return t
	case []any:
		t := L.NewTable()
		for _, item := range v {
			t.Append(toLua(L, item))
		}
		return t
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case nil:
		return lua.LNil
	}
	panic(fmt.Sprintf("toLua: unexpected %T", v)) // decode yields only the types above
}

func TestHealthLua(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			status, message, err := health(HealthLua, decode(t, s))
			if err != nil {
				t.Fatal(err)
			}
			if status != s.argo || !strings.Contains(message, s.argoMessage) {
				t.Errorf("health = %s %q, want %s with %q", status, message, s.argo, s.argoMessage)
			}
		})
	}
}

func TestArgoCDConfigMapChecksEveryKind(t *testing.T) {
	cm := ArgoCDConfigMap(Kinds())
	if len(cm.Data) != len(Kinds()) {
		t.Fatalf("argocd-cm has %d keys, want one per kind (%d)", len(cm.Data), len(Kinds()))
	}
	for _, k := range Kinds() {
		key := "resource.customizations.health." + k.Group + "_" + k.Kind
		if cm.Data[key] != HealthLua {
			t.Errorf("argocd-cm lacks the health check %s", key)
		}
	}
}
