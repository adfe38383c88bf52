#!/usr/bin/env python3
"""Write a synthetic camera registry of N cameras spread over Astana, for load checks:

    examples/make-registry.py 12000 /tmp/registry
    time ./ikomek-vision config check /tmp/registry/registry.yaml
"""
import os
import sys

STREETS = ["Kabanbay Batyr Ave", "Turan Ave", "Mangilik El Ave", "Kenesary St", "Respublika Ave",
           "Abay Ave", "Seifullin St", "Tauelsizdik Ave", "Dostyk St", "Syganak St"]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make-registry.py N OUT_DIR")
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "cameras.csv"), "w", encoding="utf-8") as f:
        f.write("id,url,lat,lon,address,zones\n")
        for i in range(1, n + 1):
            lat = 51.05 + (i % 200) * 0.0007          # about 14 km north-south
            lon = 71.30 + (i // 200) * 0.004          # and east-west for 12,000 cameras
            url = f"rtsp://viewer:${{CAM_PASSWORD:-viewer}}@10.{i // 65536}.{i // 256 % 256}.{i % 256}:554/sub"
            street = STREETS[i % len(STREETS)]
            f.write(f'cam-{i:05d},{url},{lat:.5f},{lon:.5f},"{street} {i}, entrance {i % 4}",'
                    f'{"road" if i % 2 == 0 else "full-frame"}\n')
    with open(os.path.join(out, "registry.yaml"), "w", encoding="utf-8") as f:
        f.write("cameras: { csv: cameras.csv }\n")


if __name__ == "__main__":
    main()
