package cn.yekuo.hub.web;

import java.security.Principal;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** A refused request on a dashboard page: the problem page with the status and message (the API answers JSON: ApiErrors). */
@ControllerAdvice(assignableTypes = {DashboardController.class, QuarantineController.class, DeadLetterController.class})
public class PageErrors {

    @ExceptionHandler(ApiException.class)
    public String error(ApiException e, Model model, HttpServletResponse response, Principal principal) {
        response.setStatus(e.status().value());
        model.addAttribute("user", principal == null ? "" : principal.getName());
        model.addAttribute("status", e.status().value());
        model.addAttribute("message", e.getMessage());
        return "problem";
    }
}
