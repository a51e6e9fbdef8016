// Package nationaltest builds the records the national mode's tests, its
// end-to-end test and its benchmark send: valid by dvcqg's rules, each
// field easy to spoil on purpose.
package nationaltest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/store/sqlstore"
)

// Code is a dossier code of an agency of province p, numbered n:
// "000.00.01.H<p>-261123-<n>".
func Code(p string, n int) string { return fmt.Sprintf("000.00.01.H%s-261123-%05d", p, n) }

// Dossier is a received dossier (status 2) submitted online at at and
// received an hour later, due three days later.
func Dossier(code string, at time.Time) dvcqg.Dossier {
	return dvcqg.Dossier{
		MaHoSo: code, MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", MaLinhVuc: "LV-HO-TICH", TenLinhVuc: "Hộ tịch",
		KenhThucHien: 2, ChuHoSo: "Nguyễn Văn An", LoaiDoiTuong: 1, SoGiayToChuHoSo: "001090012345",
		DinhDanhCHS:  []dvcqg.Identity{{LoaiDinhDanh: 1, SoDinhDanh: "001090012345"}},
		TrichYeuHoSo: "Đăng ký khai sinh — Nguyễn Văn An", DonViXuLy: "Ủy ban nhân dân phường Ba Đình",
		TrangThaiHoSo: 2, NgayNopHoSo: dvcqg.FormatTime(at), NgayTiepNhan: dvcqg.FormatTime(at.Add(time.Hour)),
		NgayHenTra: dvcqg.FormatTime(at.Add(72 * time.Hour)),
		Flags:      dvcqg.Flags{DuocThanhToanTrucTuyen: dvcqg.PaidOtherwise},
	}
}

// Finished is d finished and returned at at (status 10).
func Finished(d dvcqg.Dossier, at time.Time) dvcqg.Dossier {
	d.TrangThaiHoSo = 10
	d.NgayKetThucXuLy = dvcqg.FormatTime(at)
	d.NgayTra = dvcqg.FormatTime(at)
	return d
}

// Progress is the i-th step of a dossier's handling, at at.
func Progress(code string, at time.Time, i int) dvcqg.Progress {
	return dvcqg.Progress{MaHoSo: code, NguoiXuLy: "Vũ Thị Lan", ChucDanh: "Chuyên viên", ThoiDiemXuLy: dvcqg.FormatTime(at),
		PhongBanXuLy: "Bộ phận một cửa", NoiDungXuLy: fmt.Sprintf("Bước xử lý %d", i), TrangThai: 4}
}

// PostgresURLEnv names the database the PostgreSQL runs use, as the
// store's own tests do.
const PostgresURLEnv = "MOTCUA_TEST_POSTGRES"

// OnStores runs fn as two subtests: "sqlite" on a store in a temporary
// directory, and "postgres" on a fresh schema of the database named by
// MOTCUA_TEST_POSTGRES, dropped afterwards (skipped when it is unset).
func OnStores(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlstore.OpenSQLite(context.Background(), t.TempDir(), sqlstore.WithSync(sqlstore.SyncNormal))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(PostgresURLEnv)
		if base == "" {
			t.Skip(PostgresURLEnv + " is not set: PostgreSQL run skipped")
		}
		u, drop, err := sqlstore.CreateSchema(context.Background(), base, "national")
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlstore.OpenPostgres(context.Background(), u)
		if err != nil {
			drop()
			t.Fatal(err)
		}
		t.Cleanup(func() {
			db.Close()
			drop()
		})
		fn(t, db)
	})
}
