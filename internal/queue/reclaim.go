package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// ReclaimOrphans makes every job left running by a dead process available
// again, at once, through River's own rescue query. Only call it when no
// other process can be working the same database (the embedded default
// holds a lock on its data directory); with several processes River's
// rescuer does the same after RescueStuckJobsAfter.
func ReclaimOrphans(ctx context.Context, exec riverdriver.Executor) (int, error) {
	now := time.Now().UTC()
	stuck, err := exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{Max: 100_000, StuckHorizon: now.Add(time.Second)})
	if err != nil {
		return 0, fmt.Errorf("find orphaned jobs: %w", err)
	}
	if len(stuck) == 0 {
		return 0, nil
	}
	p := &riverdriver.JobRescueManyParams{StuckHorizon: now.Add(time.Second)}
	for _, j := range stuck {
		e, _ := json.Marshal(rivertype.AttemptError{At: now, Attempt: j.Attempt, Error: "process stopped while working the job; reclaimed at start-up"})
		p.ID = append(p.ID, j.ID)
		p.Error = append(p.Error, e)
		p.FinalizedAt = append(p.FinalizedAt, nil)
		p.ScheduledAt = append(p.ScheduledAt, now)
		p.State = append(p.State, string(rivertype.JobStateAvailable))
	}
	if _, err := exec.JobRescueMany(ctx, p); err != nil {
		return 0, fmt.Errorf("reclaim orphaned jobs: %w", err)
	}
	return len(stuck), nil
}
