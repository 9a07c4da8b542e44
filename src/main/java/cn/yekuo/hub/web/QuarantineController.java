package cn.yekuo.hub.web;

import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import cn.yekuo.hub.quarantine.QuarantineQueue;

/**
 * The dashboard's quarantine queue ({@code /quarantine}): every quarantined mail with its reasons and probable case;
 * representatives release, attach or discard one (forms with CSRF tokens, like the case page's actions).
 */
@Controller
public class QuarantineController {

    private final QuarantineQueue queue;

    public QuarantineController(QuarantineQueue queue) {
        this.queue = queue;
    }

    @ModelAttribute("user")
    public String user(java.security.Principal principal) {
        return principal == null ? "" : principal.getName();
    }

    @GetMapping("/quarantine")
    public String page(Model model, Authentication user) {
        model.addAttribute("queue", queue.list());
        model.addAttribute("canAct", DashboardController.isRep(user));
        return "quarantine";
    }

    @PostMapping("/quarantine/{id}/{action}")
    public String act(@PathVariable String id, @PathVariable String action, @RequestParam Map<String, String> form,
                      Authentication user, RedirectAttributes redirect) {
        form.remove("_csrf");
        if (!java.util.Set.of("release", "attach", "discard").contains(action)) {
            throw ApiException.notFound("unknown action '" + action + "'");
        }
        long mailId = QuarantineApiController.mailId(id);
        try {
            QuarantineApiController.Done done = QuarantineApiController.perform(queue, mailId, action, form, user.getName());
            redirect.addFlashAttribute("done", action);
            redirect.addFlashAttribute("doneMail", String.valueOf(mailId));
            redirect.addFlashAttribute("doneCase", done.caseNo());
        } catch (ApiException e) {
            redirect.addFlashAttribute("failed", action);
            redirect.addFlashAttribute("failedMail", String.valueOf(mailId));
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/quarantine";
    }

}
