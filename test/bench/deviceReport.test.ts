// The device bench's table writer (bench/device/report.ts), its rows and its
// child protocol, with given numbers: no GPU, no Dawn, no child processes.

import { describe, expect, it } from 'vitest';
import type { CellResult } from '../../bench/cell.js';
import { parseDeviceArgs } from '../../bench/device/main.js';
import { FIRST_MARK, parseFirst, parseResult, RESULT_MARK } from '../../bench/device/job.js';
import { adapterLine, renderDeviceResults, type DeviceRun } from '../../bench/device/report.js';
import { DEVICE_ENGINES, deviceRows } from '../../bench/device/rows.js';
import { resultsTable, type Results } from '../../bench/table.js';

const cell = (value: number | null, extra: Partial<CellResult> = {}): CellResult => ({ value, estimate: false, calls: 4, seconds: 1.2, warmupSeconds: 0.5, ...extra });

const nvidia = {
  vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3 (580.159.04)',
  isFallbackAdapter: false, timestampQuery: true, subgroups: true, subgroupSizes: '32',
};

const run = (extra: Partial<DeviceRun> = {}): DeviceRun => ({
  command: 'bash bench/device/run.sh --budget 1', date: new Date(Date.UTC(2026, 11, 5, 14, 3)), seconds: 245,
  adapter: nvidia, vulkanDriver: 'VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json',
  node: 'v20.20.2', webgpu: '0.6.2', tfjs: '4.22.0', git: 'abc1234', machine: '16 × AMD EPYC, 128 GiB memory, Linux 6.18',
  budget: 1, maxCall: 10, cellLimit: 90, deadline: 480, cellsDone: 4, cellsPlanned: 4, ...extra,
});

describe('device bench rows', () => {
  it("are the browser bench's rows with GEMM 1024³ and 4096³, conv, both models and the first step; no MobileNet or augmentation", () => {
    expect(deviceRows().map((r) => r.id)).toEqual([
      'gemm-1024', 'gemm-4096',
      'conv-mnist-forward', 'conv-mnist-backwardInput', 'conv-mnist-backwardFilter', 'conv-vgg-forward', 'conv-vgg-backwardInput', 'conv-vgg-backwardFilter',
      'train-light-64', 'train-light-256', 'train-standard-64', 'train-standard-256',
      'infer-light-64', 'infer-light-256', 'infer-standard-64', 'infer-standard-256',
      'first-light', 'first-standard',
    ]);
    expect(deviceRows(['gemm-4096', 'first-light']).map((r) => r.label)).toEqual(['GEMM 4096³', 'first trained step light, batch 64']);
    expect(DEVICE_ENGINES).toEqual(['webcnn-webgpu', 'tfjs-webgpu']);
  });
});

describe('device bench table', () => {
  const rows = deviceRows(['gemm', 'train-light-64', 'first-light']);
  const results: Results = {
    'gemm-1024': { 'webcnn-webgpu': cell(2400), 'tfjs-webgpu': cell(1600) },
    'gemm-4096': {
      'webcnn-webgpu': cell(12_345), 'tfjs-webgpu': cell(null, { calls: 0, note: 'not run: one call ≈ 140 s (from gemm-1024), over the 10 s cap (--max-call)' }),
    },
    'train-light-64': { 'webcnn-webgpu': cell(25_600), 'tfjs-webgpu': cell(3200) },
    'first-light': { 'webcnn-webgpu': cell(0.5, { calls: 1 }), 'tfjs-webgpu': cell(2, { calls: 1 }) },
  };

  it('puts the adapter first, then the command, then the same table as the browser bench', () => {
    const text = renderDeviceResults(run(), rows, results, []);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# webcnn benchmark results on nvidia / hopper: WebGPU in Node (Dawn)');
    expect(lines[2]).toBe('- WebGPU adapter: nvidia / hopper (NVIDIA H100 80GB HBM3 (580.159.04)); fallback adapter: no; timestamp-query: yes; subgroups: yes (sizes 32)');
    expect(text).toContain('Taken 2026-12-05 14:03 UTC in 4m05s by:\n\n```sh\nbash bench/device/run.sh --budget 1\n```');
    expect(text).toContain('- Vulkan driver: VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json');
    expect(text).toContain('webcnn at git abc1234; TensorFlow.js 4.22.0');
    expect(text).not.toMatch(/software adapter|Partial/);
    expect(text).toContain(`## Figures\n\n${resultsTable(rows, results)}\n`);
    // figures, ratio webcnn/tfjs (a time: the inverse), only the two engines' columns
    expect(text).toMatch(/^\| +\| +unit \| webcnn-webgpu \| tfjs-webgpu \| webgpu: webcnn\/tfjs \| best: webcnn\/tfjs \|$/m);
    expect(text).toMatch(/^\| GEMM 1024³ +\| +GFLOP\/s \| +2,400 \| +1,600 \| +1\.5× \| +1\.5× \|$/m);
    expect(text).toMatch(/^\| train light, batch 64 +\| images\/s \| +25,600 \| +3,200 \| +8\.0× \| +8\.0× \|$/m);
    expect(text).toMatch(/^\| first trained step light, batch 64 +\| +s \| +0\.500 \| +2\.00 \| +4\.0× \| +4\.0× \|$/m);
    // a skipped cell shows no figure and says why
    expect(text).toMatch(/^\| GEMM 4096³ +\| +GFLOP\/s \| +12,345 \| +— \| +— \| +— \|$/m);
    expect(text).toContain('- tfjs-webgpu gemm-4096: not run: one call ≈ 140 s (from gemm-1024), over the 10 s cap (--max-call)');
    expect(text).toMatch(/^\| GEMM 1024³ +\| +4 in 1\.2 s \| +4 in 1\.2 s \|$/m);
    expect(text).not.toContain('webcnn-cpu');
  });

  it('labels a software adapter as not a GPU, and a table written mid-run as partial', () => {
    const swiftshader = { ...nvidia, vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true, subgroups: false, subgroupSizes: '' };
    const text = renderDeviceResults(run({ adapter: swiftshader, cellsDone: 3, cellsPlanned: 36 }), rows, results, []);
    expect(text.split('\n')[0]).toBe('# webcnn benchmark results on google / swiftshader: WebGPU in Node (Dawn)');
    expect(text).toContain('**A software adapter (SwiftShader runs WebGPU on the CPU): not a GPU.**');
    expect(text).toContain('**Partial: 3 of 36 cells done when this was written.**');
    expect(adapterLine(swiftshader)).toBe('google / swiftshader (SwiftShader driver 5.0.0); fallback adapter: yes; timestamp-query: yes; subgroups: no');
  });

  it('adds the profiled training step of each model', () => {
    const profile = { timing: 'timestamp-query', totalMs: 1.5, wallMs: 3, kernels: [{ name: 'conv2d/gemm', calls: 2, totalMs: 0.9, share: 0.6 }] };
    const text = renderDeviceResults(run(), rows, results, [{ model: 'light', profile }]);
    expect(text).toContain('## Top kernels of one training step: light model, batch 64, webcnn-webgpu');
    expect(text).toMatch(/^\| conv2d\/gemm \| +2 \| 0\.9 \| 60\.0% \|$/m);
  });
});

describe('device bench runner', () => {
  it('reads its options, with defaults that fit the device machine', () => {
    expect(parseDeviceArgs([])).toMatchObject({ budget: 1, maxCall: 10, cellLimit: 90, deadline: 720, rows: [], profile: true, softwareOut: null });
    expect(parseDeviceArgs(['--rows', 'gemm,first', '--budget', '0.5', '--deadline', '480', '--software-out', 'b.md', '--no-profile']))
      .toMatchObject({ rows: ['gemm', 'first'], budget: 0.5, deadline: 480, softwareOut: 'b.md', profile: false });
    expect(() => parseDeviceArgs(['--budget', '-1'])).toThrow(/--budget must be a positive number/);
    expect(() => parseDeviceArgs(['--frobnicate'])).toThrow(/unknown option '--frobnicate'/);
  });

  it("finds a child's answer among whatever else it printed", () => {
    const answer = { kind: 'cell', cell: cell(42) };
    expect(parseResult(`XDG_RUNTIME_DIR is invalid\n${RESULT_MARK}${JSON.stringify(answer)}\n`)).toEqual(answer);
    expect(parseResult('Segmentation fault\n')).toBeNull();
    // a first step's figure, printed before its training cell, outlives a child stopped in that cell
    const stopped = `${FIRST_MARK}${JSON.stringify(cell(14.2, { calls: 1 }))}\nXDG_RUNTIME_DIR is invalid\n`;
    expect(parseResult(stopped)).toBeNull();
    expect(parseFirst(stopped)).toEqual(cell(14.2, { calls: 1 }));
    expect(parseFirst(`${RESULT_MARK}{}\n`)).toBeNull();
  });
});
