import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type Component } from 'vue';
import VirtualList from './VirtualList.vue';

const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `e${i}`, name: `Entry ${i}` }));

function mountList(props: Record<string, unknown> = {}) {
  const Host = defineComponent({
    setup:
      (_, { attrs }) =>
      () =>
        h(
          VirtualList as unknown as Component,
          { items, itemKey: (i: { id: string }) => i.id, label: 'Entries', ...attrs },
          { default: ({ item }: { item: { name: string } }) => h('span', { class: 'name' }, item.name) },
        ),
  });
  return mount(Host, { attrs: props, attachTo: document.body });
}

describe('VirtualList', () => {
  it('keeps a 10,000-row list to a few dozen DOM rows', () => {
    const wrapper = mountList();
    const rows = wrapper.findAll('[role="listitem"]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.attributes('aria-setsize')).toBe('10000');
    wrapper.unmount();
  });

  it('renders only the rows in view for the first frame, and the overscan once it is painted', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (run: FrameRequestCallback) => frames.push(run));
    try {
      const wrapper = mountList();
      // No layout here: the viewport falls back to 400 px, i.e. 8 rows of 52 px.
      expect(wrapper.findAll('[role="listitem"]')).toHaveLength(8);
      frames.splice(0).forEach((run) => run(0));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(wrapper.findAll('[role="listitem"]')).toHaveLength(8 + 6 * 2);
      wrapper.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('moves focus with the arrow keys and activates with Enter', async () => {
    const wrapper = mountList();
    const list = wrapper.get('[role="list"]');
    const first = wrapper.get('[data-index="0"]');
    expect(first.attributes('tabindex')).toBe('0');
    await first.trigger('keydown', { key: 'ArrowDown' });
    await first.trigger('keydown', { key: 'ArrowDown' });
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-index="2"]').attributes('tabindex')).toBe('0');
    expect(document.activeElement?.getAttribute('data-index')).toBe('2');

    await wrapper.get('[data-index="2"]').trigger('keydown', { key: 'Enter' });
    expect(wrapper.findComponent(VirtualList).emitted('activate')).toEqual([[2]]);
    expect(list.attributes('aria-label')).toBe('Entries');
    wrapper.unmount();
  });

  it('reorders with Alt+arrows and drag and drop only when reorderable, and removes with Delete', async () => {
    const wrapper = mountList({ reorderable: true, removable: true });
    const list = wrapper.findComponent(VirtualList);
    await wrapper.get('[data-index="0"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    expect(list.emitted('move')).toEqual([[0, 1]]);

    await wrapper.get('[data-index="3"]').trigger('dragstart', { dataTransfer: { setData: () => {} } });
    await wrapper.get('[data-index="1"]').trigger('drop');
    expect(list.emitted('move')![1]).toEqual([3, 1]);

    await wrapper.get('[data-index="1"]').trigger('keydown', { key: 'Delete' });
    expect(list.emitted('remove')).toHaveLength(1);
    wrapper.unmount();

    const fixed = mountList();
    await fixed.get('[data-index="0"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    expect(fixed.findComponent(VirtualList).emitted('move')).toBeUndefined();
    expect(fixed.get('[data-index="0"]').attributes('draggable')).toBe('false');
    fixed.unmount();
  });
});
