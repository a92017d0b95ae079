"""Draw the app's PNG icons (the web app manifest's) from their SVG sources.

    .venv/bin/python scripts/make_icons.py

Chromium renders each SVG at the size the manifest names; the PNGs are committed, so
this runs only when an icon's drawing changes. Needs Playwright and /usr/bin/chromium.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent.parent / "static" / "img"
# (source SVG, size in pixels, PNG written)
ICONS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
    ("icon.svg", 180, "apple-touch-icon.png"),
]


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        for source, size, target in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = (IMG / source).read_text()
            page.set_content(
                "<style>html,body{margin:0;background:transparent}svg{display:block;"
                f"width:{size}px;height:{size}px}}</style>{svg}"
            )
            page.screenshot(path=str(IMG / target), omit_background=True)
            page.close()
            print(f"static/img/{target}: {size}x{size} from {source}")
        browser.close()


if __name__ == "__main__":
    main()
