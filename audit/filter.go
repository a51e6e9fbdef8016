package audit

// Filter selects audit entries, newest first.
type Filter struct {
	ActorID   int64
	Action    string
	Object    string
	BeforeSeq int64 // entries with seq < BeforeSeq (0 = from the newest)
	Limit     int
}
