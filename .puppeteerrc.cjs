// No browser download: the network here reaches only package registries, so the
// tests use a system Chromium (CHROME_PATH, PUPPETEER_EXECUTABLE_PATH, /usr/bin/chromium).
module.exports = { skipDownload: true };
