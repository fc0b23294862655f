package diff

import (
	"slices"
	"testing"
)

func TestGameReplicasInTheSizeSummary(t *testing.T) {
	fixed := Size{GameReplicas: Replicas{Min: 2, Max: 2}}
	auto := Size{GameReplicas: Replicas{Min: 3, Max: 10, Autoscaled: true}}
	for _, tc := range []struct {
		name     string
		from, to Size
		want     []string
	}{
		{"a fixed count becomes an autoscaler", fixed, auto, []string{"game replicas 2 -> 3-10 (autoscaled)"}},
		{"an autoscaler's range changes", auto, Size{GameReplicas: Replicas{Min: 3, Max: 20, Autoscaled: true}},
			[]string{"game replicas 3-10 (autoscaled) -> 3-20 (autoscaled)"}},
		{"no game yet", Size{}, fixed, []string{"game replicas - -> 2"}},
		{"unchanged", auto, auto, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.from.changes(tc.to); !slices.Equal(got, tc.want) {
				t.Errorf("changes = %q, want %q", got, tc.want)
			}
		})
	}
	if got, want := auto.String(), "NAT gateways 0, Elastic IPs 0, node groups none, Fargate profiles 0, control-plane log retention -, flow-log retention -, game replicas 3-10 (autoscaled)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
