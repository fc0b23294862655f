package config

import "reflect"

// merge returns base with every field that over sets laid on top: scalars
// and lists replace, maps merge key by key, nested structs merge field by
// field. Neither argument is modified.
func merge(base, over Spec) Spec {
	out := reflect.New(reflect.TypeOf(base)).Elem()
	mergeValue(out, reflect.ValueOf(base))
	mergeValue(out, reflect.ValueOf(over))
	return out.Interface().(Spec)
}

func mergeValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			mergeValue(dst.Field(i), src.Field(i))
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		if dst.IsNil() {
			dst.Set(reflect.New(src.Type().Elem()))
		}
		mergeValue(dst.Elem(), src.Elem())
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMap(src.Type())
		for _, from := range []reflect.Value{dst, src} {
			for it := from.MapRange(); it.Next(); {
				m.SetMapIndex(it.Key(), it.Value())
			}
		}
		dst.Set(m)
	case reflect.Slice:
		if !src.IsNil() {
			dst.Set(reflect.AppendSlice(reflect.MakeSlice(src.Type(), 0, src.Len()), src))
		}
	default:
		dst.Set(src)
	}
}
