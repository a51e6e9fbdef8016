package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/wallet"
)

// registryRoutes: the shared datasets (look-ups for entitled readers and
// other systems, quality reports), the form prefill, and the personal
// document store.
func (s *Server) registryRoutes() {
	tag := []string{"Dữ liệu dùng chung (registry)"}
	register(s, huma.Operation{OperationID: "list-datasets", Method: http.MethodGet, Path: "/api/v1/registry/datasets", Summary: "Các tập dữ liệu dùng chung: lược đồ, cơ quan chủ quản, chính sách truy cập, số bản ghi", Tags: tag}, needs(identity.PermAuditRead),
		func(ctx context.Context, _ *struct{}) (*listOut[sharedata.DatasetInfo], error) {
			l, err := s.app.ShareData.DatasetInfos(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return list(l, len(l)), nil
		})
	register(s, huma.Operation{OperationID: "lookup-record", Method: http.MethodGet, Path: "/api/v1/registry/{dataset}/records/{key}",
		Summary: "Tra cứu một bản ghi (theo chính sách truy cập; mục đích, thủ tục, hồ sơ được ghi nhật ký)", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Dataset   string `path:"dataset" maxLength:"40"`
			Key       string `path:"key" maxLength:"100"`
			Purpose   string `query:"purpose" required:"true" enum:"prefill,replace,appraisal,exchange"`
			Procedure string `query:"procedure" maxLength:"40"`
			Dossier   string `query:"dossier" maxLength:"60"`
		}) (*bodyOut[registry.Record], error) {
			rec, err := s.app.ShareData.Lookup(ctx, actorOf(ctx), sharedata.LookupQuery{Dataset: in.Dataset, Key: in.Key, Purpose: registry.Purpose(in.Purpose), Procedure: in.Procedure, Dossier: in.Dossier})
			if err != nil {
				return nil, err
			}
			return body(rec), nil
		})
	register(s, huma.Operation{OperationID: "dataset-quality", Method: http.MethodGet, Path: "/api/v1/registry/{dataset}/quality", Summary: "Báo cáo chất lượng dữ liệu: đúng, đủ, sạch, sống, thống nhất", Tags: tag}, needs(identity.PermAuditRead),
		func(ctx context.Context, in *struct {
			Dataset string `path:"dataset" maxLength:"40"`
		}) (*bodyOut[registry.Report], error) {
			rep, err := s.app.ShareData.QualityReport(ctx, actorOf(ctx), in.Dataset)
			if err != nil {
				return nil, err
			}
			return body(rep), nil
		})
	register(s, huma.Operation{OperationID: "prefill-form", Method: http.MethodGet, Path: "/api/v1/procedures/{code}/prefill", Summary: "Dữ liệu điền sẵn tờ khai cho công dân đã xác thực", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"40"`
		}) (*bodyOut[sharedata.Prefill], error) {
			p, err := s.app.ShareData.Prefill(ctx, actorOf(ctx), in.Code)
			if err != nil {
				return nil, err
			}
			return body(p), nil
		})
	wtag := []string{"Kho dữ liệu cá nhân (wallet)"}
	register(s, huma.Operation{OperationID: "list-documents", Method: http.MethodGet, Path: "/api/v1/wallet", Summary: "Giấy tờ trong kho dữ liệu của tôi", Tags: wtag}, loggedIn,
		func(ctx context.Context, _ *struct{}) (*listOut[wallet.Document], error) {
			l, err := s.app.Results.MyDocuments(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return list(l, len(l)), nil
		})
	register(s, huma.Operation{OperationID: "share-document", Method: http.MethodPost, Path: "/api/v1/wallet/{id}/share", Summary: "Bật hoặc tắt liên kết chia sẻ một giấy tờ", Tags: wtag}, loggedIn,
		func(ctx context.Context, in *struct {
			ID   string `path:"id" maxLength:"64"`
			Body struct {
				Shared bool `json:"shared"`
			}
		}) (*bodyOut[wallet.Document], error) {
			d, err := s.app.Results.ShareDocument(ctx, actorOf(ctx), in.ID, in.Body.Shared)
			if err != nil {
				return nil, err
			}
			return body(d), nil
		})
}
