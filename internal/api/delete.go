package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/atlas-oss/atlas/internal/store"
)

// routeDelete registers the deletion of a bulk batch and of a flow (under
// the flow API's v2 and v3 paths, from one handler).
func (s *Server) routeDelete() {
	s.route("DELETE /v1/bulk/batch/{batch_id}", s.serve(s.authenticated(s.deleteBatch)))
	for _, v := range []struct{ prefix, id string }{{v2Prefix, flowIDv2}, {v3Prefix, flowIDv3}} {
		s.route("DELETE "+v.prefix+"/flow/{"+v.id+"}", s.serve(s.authenticated(s.deleteFlow(v.id))))
	}
}

// DeleteResponse is the answer of a deletion.
type DeleteResponse struct {
	DeletedDocuments int `json:"deleted_documents"`
}

func (s *Server) deleteBatch(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("batch_id")
	n, orphans, err := s.store.DeleteBatch(r.Context(), clientID(r.Context()), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "batch_id %q is unknown (a flow's uploads are deleted with their flow)", id)
	}
	if err != nil {
		return err
	}
	blobs, failed := s.deleteBlobs(r.Context(), orphans)
	s.log.Info("batch_deleted", "batch_id", id, "documents", n, "blobs_deleted", blobs, "blob_failures", failed)
	writeJSON(w, http.StatusOK, DeleteResponse{DeletedDocuments: n})
	return nil
}

func (s *Server) deleteFlow(idName string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue(idName)
		n, orphans, err := s.store.DeleteFlow(r.Context(), clientID(r.Context()), id)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusNotFound, "%s %q is unknown", idName, id)
		}
		if err != nil {
			return err
		}
		blobs, failed := s.deleteBlobs(r.Context(), orphans)
		s.log.Info("flow_deleted", "flow_id", id, "documents", n, "blobs_deleted", blobs, "blob_failures", failed)
		writeJSON(w, http.StatusOK, DeleteResponse{DeletedDocuments: n})
		return nil
	}
}

// deleteBlobs deletes the blobs the store released. The rows are already
// gone, so a blob that cannot be deleted is logged and counted, and the
// deletion still succeeds; a client hanging up does not stop it.
func (s *Server) deleteBlobs(ctx context.Context, keys []string) (deleted, failed int) {
	if s.blobs == nil {
		return 0, len(keys)
	}
	ctx = context.WithoutCancel(ctx)
	for _, key := range keys {
		if err := s.blobs.Delete(ctx, key); err != nil {
			failed++
			s.log.Warn("blob_delete_failed", "blob_key", key, "error", err)
			continue
		}
		deleted++
	}
	return deleted, failed
}
