package ack

// LogGroup is cloudwatchlogs.services.k8s.aws/v1alpha1 LogGroup.
type LogGroup struct {
	Object `json:",inline"`
	Spec   LogGroupSpec `json:"spec"`
}

// LogGroupSpec is the subset render sets.
type LogGroupSpec struct {
	Name          string            `json:"name"`
	RetentionDays int               `json:"retentionDays"`
	Tags          map[string]string `json:"tags,omitempty"`
}
