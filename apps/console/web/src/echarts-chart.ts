import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans", sans-serif';

/**
 * An ECharts chart drawn into the returned element's div, redrawn when the option's content
 * changes and disposed with the element; charts of one `group` share their tooltip and axis
 * pointer (echarts.connect).
 */
export function useChart(option: echarts.EChartsCoreOption | null | false | undefined, group?: string) {
  const element = useRef<HTMLDivElement>(null);
  // Functions (formatters) do not serialise: the option's data and texts decide when to redraw.
  const serialized = option ? JSON.stringify(option) : '';
  useEffect(() => {
    if (!element.current || !option) return;
    const chart = echarts.init(element.current);
    chart.setOption(option);
    if (group) {
      chart.group = group;
      echarts.connect(group);
    }
    const resize = () => chart.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.dispose();
    };
    // The option is rebuilt each render; its content decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serialized]);
  return element;
}
