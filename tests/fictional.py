"""Short fictional documents for tests (huyện Sông Mây does not exist), shared by the check and corpus tests."""
from __future__ import annotations


def vb(body: str, *, so: str = "Số: 77/BC-UBND", ngay: str = "Thị trấn Mây, ngày 10 tháng 6 năm 2025",
       loai: str = "BÁO CÁO\nTình hình thực hiện nhiệm vụ 6 tháng đầu năm") -> str:
    """A document in the NĐ 30/2020 layout around `body`."""
    return ("ỦY BAN NHÂN DÂN\nHUYỆN SÔNG MÂY\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\n"
            f"{so}\n{ngay}\n\n{loai}\n\n{body}\n\nNơi nhận:\n- UBND tỉnh;\n- Lưu: VT.\nCHỦ TỊCH\nLê Văn Sáng\n")
