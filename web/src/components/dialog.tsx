import { useEffect, useId, useRef, type ReactNode } from 'react';

/*
 * A modal on the platform's own <dialog>: showModal() gives the focus trap, Escape, the inert page behind and
 * focus returning to the opener. (Radix's dialog was the first choice; its scroll lock injects a <style>
 * element, which the dashboard's CSP refuses.)
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      onClose={() => onOpenChange(false)}
      // A click on the backdrop lands on the <dialog> itself, outside its content box.
      onClick={(e) => {
        if (e.target === e.currentTarget) onOpenChange(false);
      }}
    >
      {open && (
        <div className="dialog-body">
          <h2 id={`${id}-title`} className="dialog-title">
            {title}
          </h2>
          {description && (
            <p id={`${id}-description`} className="dialog-description">
              {description}
            </p>
          )}
          {children}
          <button
            type="button"
            className="dialog-close"
            aria-label="Close"
            onClick={() => onOpenChange(false)}
          >
            ×
          </button>
        </div>
      )}
    </dialog>
  );
}
